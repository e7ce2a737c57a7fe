package rewrite

import (
	"fmt"
	"go/token"
	"go/types"
	"strconv"
	"strings"
)

// typeName returns Go source that names t at pos in the file being
// rewritten, adding an import when t mentions a package the file does not
// import. ok is false when t cannot be named there (an unexported type of
// another package, a shadowed name, a type the printer does not handle).
func (r *fileRewriter) typeName(t types.Type, pos token.Pos) (string, bool) {
	var b strings.Builder
	if !r.writeType(&b, t, pos) {
		return "", false
	}
	return b.String(), true
}

func (r *fileRewriter) scopeAt(pos token.Pos) *types.Scope {
	s := r.pkg.Scope()
	if fs := r.info.Scopes[r.file]; fs != nil {
		s = fs
	}
	if in := s.Innermost(pos); in != nil {
		return in
	}
	return s
}

// resolves reports whether name refers to obj at pos.
func (r *fileRewriter) resolves(name string, obj types.Object, pos token.Pos) bool {
	_, got := r.scopeAt(pos).LookupParent(name, pos)
	return got == obj
}

func (r *fileRewriter) writeType(b *strings.Builder, t types.Type, pos token.Pos) bool {
	switch t := t.(type) {
	case *types.Basic:
		if t.Kind() == types.UnsafePointer {
			q, ok := r.qualifier(types.Unsafe, pos)
			if !ok {
				return false
			}
			b.WriteString(q + "Pointer")
			return true
		}
		if t.Info()&types.IsUntyped != 0 {
			return false
		}
		obj := types.Universe.Lookup(t.Name())
		if obj == nil || !r.resolves(t.Name(), obj, pos) {
			return false
		}
		b.WriteString(t.Name())
		return true
	case *types.Alias:
		if r.writeObj(b, t.Obj(), pos) {
			return r.writeTypeArgs(b, t.TypeArgs(), pos)
		}
		return r.writeType(b, types.Unalias(t), pos)
	case *types.Named:
		if !r.writeObj(b, t.Obj(), pos) {
			return false
		}
		return r.writeTypeArgs(b, t.TypeArgs(), pos)
	case *types.TypeParam:
		if !r.resolves(t.Obj().Name(), t.Obj(), pos) {
			return false
		}
		b.WriteString(t.Obj().Name())
		return true
	case *types.Pointer:
		b.WriteString("*")
		return r.writeType(b, t.Elem(), pos)
	case *types.Slice:
		b.WriteString("[]")
		return r.writeType(b, t.Elem(), pos)
	case *types.Array:
		fmt.Fprintf(b, "[%d]", t.Len())
		return r.writeType(b, t.Elem(), pos)
	case *types.Map:
		b.WriteString("map[")
		if !r.writeType(b, t.Key(), pos) {
			return false
		}
		b.WriteString("]")
		return r.writeType(b, t.Elem(), pos)
	case *types.Chan:
		paren := false
		switch t.Dir() {
		case types.SendRecv:
			b.WriteString("chan ")
			if c, ok := t.Elem().(*types.Chan); ok && c.Dir() == types.RecvOnly {
				paren = true
			}
		case types.SendOnly:
			b.WriteString("chan<- ")
		case types.RecvOnly:
			b.WriteString("<-chan ")
		}
		if paren {
			b.WriteString("(")
		}
		if !r.writeType(b, t.Elem(), pos) {
			return false
		}
		if paren {
			b.WriteString(")")
		}
		return true
	case *types.Signature:
		b.WriteString("func")
		return r.writeSignature(b, t, pos)
	case *types.Struct:
		b.WriteString("struct{")
		for i := range t.NumFields() {
			f := t.Field(i)
			if i > 0 {
				b.WriteString("; ")
			}
			if !f.Exported() && f.Pkg() != r.pkg {
				return false
			}
			if !f.Embedded() {
				b.WriteString(f.Name() + " ")
			}
			if !r.writeType(b, f.Type(), pos) {
				return false
			}
			if tag := t.Tag(i); tag != "" {
				b.WriteString(" " + strconv.Quote(tag))
			}
		}
		b.WriteString("}")
		return true
	case *types.Interface:
		if !t.IsMethodSet() {
			return false
		}
		b.WriteString("interface{")
		n := 0
		for i := range t.NumEmbeddeds() {
			if n > 0 {
				b.WriteString("; ")
			}
			n++
			if !r.writeType(b, t.EmbeddedType(i), pos) {
				return false
			}
		}
		for i := range t.NumExplicitMethods() {
			m := t.ExplicitMethod(i)
			if !m.Exported() && m.Pkg() != r.pkg {
				return false
			}
			if n > 0 {
				b.WriteString("; ")
			}
			n++
			b.WriteString(m.Name())
			if !r.writeSignature(b, m.Type().(*types.Signature), pos) {
				return false
			}
		}
		b.WriteString("}")
		return true
	}
	return false
}

func (r *fileRewriter) writeTypeArgs(b *strings.Builder, args *types.TypeList, pos token.Pos) bool {
	if args.Len() == 0 {
		return true
	}
	b.WriteString("[")
	for i := range args.Len() {
		if i > 0 {
			b.WriteString(", ")
		}
		if !r.writeType(b, args.At(i), pos) {
			return false
		}
	}
	b.WriteString("]")
	return true
}

func (r *fileRewriter) writeSignature(b *strings.Builder, sig *types.Signature, pos token.Pos) bool {
	if sig.TypeParams().Len() > 0 {
		return false
	}
	b.WriteString("(")
	for i := range sig.Params().Len() {
		if i > 0 {
			b.WriteString(", ")
		}
		pt := sig.Params().At(i).Type()
		if sig.Variadic() && i == sig.Params().Len()-1 {
			b.WriteString("...")
			s, ok := pt.(*types.Slice)
			if !ok {
				return false
			}
			pt = s.Elem()
		}
		if !r.writeType(b, pt, pos) {
			return false
		}
	}
	b.WriteString(")")
	res := sig.Results()
	switch res.Len() {
	case 0:
	case 1:
		b.WriteString(" ")
		return r.writeType(b, res.At(0).Type(), pos)
	default:
		b.WriteString(" (")
		for i := range res.Len() {
			if i > 0 {
				b.WriteString(", ")
			}
			if !r.writeType(b, res.At(i).Type(), pos) {
				return false
			}
		}
		b.WriteString(")")
	}
	return true
}

// writeObj writes the (qualified) name of a type name or alias object.
func (r *fileRewriter) writeObj(b *strings.Builder, obj *types.TypeName, pos token.Pos) bool {
	if obj.Pkg() == nil { // error, comparable, any
		if !r.resolves(obj.Name(), obj, pos) {
			return false
		}
		b.WriteString(obj.Name())
		return true
	}
	if obj.Pkg() == r.pkg {
		if !r.resolves(obj.Name(), obj, pos) {
			return false
		}
		b.WriteString(obj.Name())
		return true
	}
	if !obj.Exported() || obj.Parent() != obj.Pkg().Scope() {
		return false
	}
	q, ok := r.qualifier(obj.Pkg(), pos)
	if !ok {
		return false
	}
	if q == "" && !r.resolves(obj.Name(), obj, pos) { // dot import
		return false
	}
	b.WriteString(q + obj.Name())
	return true
}

// qualifier returns "name." for pkg as seen from pos, importing pkg under a
// generated name when the file does not import it yet.
func (r *fileRewriter) qualifier(pkg *types.Package, pos token.Pos) (string, bool) {
	for _, spec := range r.file.Imports {
		var obj types.Object
		if spec.Name != nil {
			obj = r.info.Defs[spec.Name]
		} else {
			obj = r.info.Implicits[spec]
		}
		pn, ok := obj.(*types.PkgName)
		if !ok || pn.Imported().Path() != pkg.Path() {
			continue
		}
		switch pn.Name() {
		case "_":
			continue
		case ".":
			return "", true
		}
		if r.resolves(pn.Name(), pn, pos) {
			return pn.Name() + ".", true
		}
	}
	if pkg.Path() == "sync" || pkg.Name() == "main" || !importable(r.pkg.Path(), pkg.Path()) {
		return "", false
	}
	if name, ok := r.extraImports[pkg.Path()]; ok {
		return name + ".", true
	}
	name := fmt.Sprintf("%sp%d", r.pfx, len(r.extraImports))
	r.extraImports[pkg.Path()] = name
	return name + ".", true
}

// importable reports whether package from may import package path under
// the internal-directory rule.
func importable(from, path string) bool {
	i := strings.LastIndex(path, "/internal/")
	switch {
	case i >= 0:
	case strings.HasSuffix(path, "/internal"):
		i = len(path) - len("/internal")
	case path == "internal" || strings.HasPrefix(path, "internal/"):
		return false // standard library internals
	default:
		return true
	}
	parent := path[:i]
	return from == parent || strings.HasPrefix(from, parent+"/")
}
