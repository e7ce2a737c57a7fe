package rewrite

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/types"
	"slices"
)

// Some packages must keep sync's lock types: their "sync" imports are not
// switched to detect (their channels are still instrumented), and their
// locks are untracked. keepSync finds them, for two reasons:
//
//   - detect's lock types are bigger than sync's (and a Mutex is 8-byte
//     aligned, sync's 4), so an array length computed from the size,
//     alignment or a field offset of a struct holding one by value
//     (cache-line padding: [64 - unsafe.Sizeof(bucket{})]byte) can be
//     negative if the struct holds detect's. The package that declares the
//     struct keeps sync's. Other uses of the size (memory accounting,
//     pointer arithmetic over an array of the same type) are right with
//     either type and keep nothing.
//   - a package that is not switched (a dependency outside the instrumented
//     scope, or one kept by the first rule) may declare functions, fields,
//     variables or types whose types name sync's lock types (func Wait(wg
//     *sync.WaitGroup), type Handler func(*sync.WaitGroup)); a switched
//     package that uses them would pass a *detect.WaitGroup where a
//     *sync.WaitGroup is wanted and not compile. A package that uses such an
//     object keeps sync's too, and a kept package that uses a switched
//     one's makes that one kept, until no more packages are added. Uses
//     that work with either type keep nothing: calling a method on the
//     lock (l.Mu.Lock(), dep.Locks[i].Lock()) and passing it where an
//     interface is wanted (sync.NewCond(&dep.Mu)).
//
// What is not seen still fails to compile under gridlock test (a
// conversion between a kept and a switched struct type, a type parameter's
// constraint naming sync's types), or panics (a type assertion to
// *sync.WaitGroup of a value a kept package made).

// keepSync returns, for each package (by types.Package path) that must keep
// sync's types, why: where the first reason is seen.
func keepSync(cs []*checked) map[string]string {
	keep := syncLayouts(cs)
	units := map[string]bool{}
	for _, c := range cs {
		if c.types != nil {
			units[c.types.Path()] = true
		}
	}
	switched := func(path string) bool {
		_, kept := keep[path]
		return path == "sync" || units[path] && !kept
	}
	uses := make(map[*checked][]syncUse, len(cs))
	for _, c := range cs {
		if c.types != nil && c.typeErr == nil {
			uses[c] = syncUses(c)
		}
	}
	for grew := true; grew; {
		grew = false
		for _, c := range cs {
			if c.types == nil || c.typeErr != nil {
				continue
			}
			path := c.types.Path()
			if _, kept := keep[path]; !kept {
				// A switched package using a kept one's sync-typed objects.
				if u, ok := crossing(uses[c], func(p string) bool { return !switched(p) }); ok {
					keep[path] = fmt.Sprintf("it uses %s (%s), and %s keeps sync's types (%s)",
						qualified(u.obj), objType(u.obj), u.obj.Pkg().Path(), c.fset.Position(u.at.Pos()))
					grew = true
				}
				continue
			}
			// A kept package using a switched one's: that one is kept too.
			if u, ok := crossing(uses[c], func(p string) bool { return p != "sync" && switched(p) }); ok {
				keep[u.obj.Pkg().Path()] = fmt.Sprintf("%s keeps sync's types and uses its %s (%s) (%s)",
					path, qualified(u.obj), objType(u.obj), c.fset.Position(u.at.Pos()))
				grew = true
			}
		}
	}
	return keep
}

// qualified names obj for a note: dep.Wait, (*dep.Svc).Join, field Mu of a
// dep type.
func qualified(obj types.Object) string {
	switch o := obj.(type) {
	case *types.Var:
		if o.IsField() {
			return "field " + o.Name() + " of a " + o.Pkg().Name() + " type"
		}
	case *types.Func:
		if recv := o.Signature().Recv(); recv != nil {
			return "(" + types.TypeString(recv.Type(), (*types.Package).Name) + ")." + o.Name()
		}
	}
	return obj.Pkg().Name() + "." + obj.Name()
}

func objType(obj types.Object) string { return types.TypeString(obj.Type(), (*types.Package).Name) }

// syncUse is a use, in a unit, of an object of another package whose
// type names one of sync's wrapped types.
type syncUse struct {
	at  ast.Node
	obj types.Object // its package is the one the use crosses to
}

// syncUses returns c's uses of other packages' objects whose types name
// one of sync's wrapped types, in source order: identifiers, and unkeyed
// elements of composite literals of another package's struct type that
// fill such a field; apart from the uses that work with either type (see
// keepSync). They do not depend on which packages keep sync's types, so
// keepSync finds them once per unit.
func syncUses(c *checked) []syncUse {
	either := map[*ast.Ident]bool{} // uses that work with either type
	var out []syncUse
	for _, f := range c.files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				if sel := c.info.Selections[n]; sel != nil && sel.Kind() == types.MethodVal {
					if id := rootIdent(n.X); id != nil {
						either[id] = true
					}
				}
			case *ast.CallExpr:
				sig, ok := types.Unalias(c.info.TypeOf(n.Fun)).(*types.Signature)
				if !ok {
					break
				}
				for i, arg := range n.Args {
					if pt := paramType(sig, i); pt != nil && types.IsInterface(pt) {
						if id := rootIdent(arg); id != nil {
							either[id] = true
						}
					}
				}
			case *ast.CompositeLit:
				named, ok := types.Unalias(c.info.TypeOf(n)).(*types.Named)
				if !ok || named.Obj().Pkg() == nil || named.Obj().Pkg() == c.types {
					break
				}
				st, ok := named.Underlying().(*types.Struct)
				if !ok {
					break
				}
				for i, e := range n.Elts {
					if _, keyed := e.(*ast.KeyValueExpr); !keyed && i < st.NumFields() && mentionsWrapped(st.Field(i).Type()) {
						out = append(out, syncUse{e, st.Field(i)})
					}
				}
			}
			return true
		})
	}
	for id, obj := range c.info.Uses {
		if obj.Pkg() == nil || obj.Pkg() == c.types || either[id] {
			continue
		}
		switch obj.(type) {
		case *types.Func, *types.Var, *types.TypeName:
		default:
			continue
		}
		if mentionsWrapped(obj.Type()) {
			out = append(out, syncUse{id, obj})
		}
	}
	slices.SortFunc(out, func(a, b syncUse) int { return cmp.Compare(a.at.Pos(), b.at.Pos()) })
	return out
}

// crossing returns the first of uses that crosses to a package for which
// across is true, or ok false.
func crossing(uses []syncUse, across func(string) bool) (u syncUse, ok bool) {
	for _, u := range uses {
		if across(u.obj.Pkg().Path()) {
			return u, true
		}
	}
	return u, false
}

// rootIdent returns the identifier naming the variable or field that e
// denotes (x, x.f, x.f[i], &x.f, (*p).f); nil for other expressions.
func rootIdent(e ast.Expr) *ast.Ident {
	for {
		switch x := e.(type) {
		case *ast.ParenExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.UnaryExpr:
			if x.Op.String() != "&" {
				return nil
			}
			e = x.X
		case *ast.SelectorExpr:
			return x.Sel
		case *ast.Ident:
			return x
		default:
			return nil
		}
	}
}

// paramType returns the type of the parameter that a call's i-th argument
// fills (the element type for a variadic one), or nil.
func paramType(sig *types.Signature, i int) types.Type {
	params := sig.Params()
	if n := params.Len(); sig.Variadic() && i >= n-1 {
		if sl, ok := params.At(n - 1).Type().(*types.Slice); ok {
			return sl.Elem()
		}
		return nil
	}
	if i < params.Len() {
		return params.At(i).Type()
	}
	return nil
}

// mentionsWrapped reports whether the type t is written with one of sync's
// wrapped types (*sync.Mutex, func([]sync.WaitGroup), Box[sync.Mutex], an
// interface with a method taking *sync.WaitGroup), looking through named
// types except into the fields of named structs (dep.Locked holding a
// sync.Mutex is dep's own type either way).
func mentionsWrapped(t types.Type) bool { return mentions(t, map[types.Type]bool{}) }

func mentions(t types.Type, seen map[types.Type]bool) bool {
	t = types.Unalias(t)
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t := t.(type) {
	case *types.Named:
		if isWrappedSync(t) {
			return true
		}
		for a := range t.TypeArgs().Types() {
			if mentions(a, seen) {
				return true
			}
		}
		if _, isStruct := t.Underlying().(*types.Struct); isStruct {
			return false
		}
		return mentions(t.Underlying(), seen)
	case *types.Pointer:
		return mentions(t.Elem(), seen)
	case *types.Slice:
		return mentions(t.Elem(), seen)
	case *types.Array:
		return mentions(t.Elem(), seen)
	case *types.Chan:
		return mentions(t.Elem(), seen)
	case *types.Map:
		return mentions(t.Key(), seen) || mentions(t.Elem(), seen)
	case *types.Signature:
		return mentions(t.Params(), seen) || mentions(t.Results(), seen)
	case *types.Tuple:
		for v := range t.Variables() {
			if mentions(v.Type(), seen) {
				return true
			}
		}
	case *types.Struct:
		for f := range t.Fields() {
			if mentions(f.Type(), seen) {
				return true
			}
		}
	case *types.Interface:
		for m := range t.Methods() {
			if mentions(m.Type(), seen) {
				return true
			}
		}
		for e := range t.EmbeddedTypes() {
			if mentions(e, seen) {
				return true
			}
		}
	case *types.Union:
		for i := range t.Len() {
			if mentions(t.Term(i).Type(), seen) {
				return true
			}
		}
	}
	return false
}

// wrappedSync names the sync types detect replaces with its own, bigger,
// types (Map, Pool and Locker are sync's own in detect).
var wrappedSync = map[string]bool{"Mutex": true, "RWMutex": true, "WaitGroup": true, "Cond": true, "Once": true}

// syncLayouts returns, for each package (by types.Package path) that must
// keep sync's types, where an array length relies on their layout, e.g.
// "... (x/map.go:148:23: unsafe.Sizeof(bucket{}))".
func syncLayouts(cs []*checked) map[string]string {
	keep := map[string]string{}
	for _, c := range cs {
		if c.typeErr != nil || c.types == nil {
			continue
		}
		for _, call := range layoutCalls(c) {
			t := c.info.TypeOf(ast.Unparen(call.Args[0]))
			if sel, ok := ast.Unparen(call.Args[0]).(*ast.SelectorExpr); ok && calleeObj(c.info, call.Fun) == types.Unsafe.Scope().Lookup("Offsetof") {
				t = c.info.TypeOf(sel.X) // the offset of x.f depends on the fields of x's struct
			}
			if t == nil {
				continue
			}
			where := fmt.Sprintf("an array length relies on their size, and gridlock's are bigger (%s: %s)", c.fset.Position(call.Pos()), types.ExprString(call))
			holders := syncHolders(t, c.types.Path())
			if isWrappedSync(t) {
				holders = append(holders, c.types.Path()) // unsafe.Sizeof(sync.Mutex{})
			}
			for _, pkg := range holders {
				if _, seen := keep[pkg]; !seen {
					keep[pkg] = where
				}
			}
		}
	}
	return keep
}

// layoutCalls returns the unsafe.Sizeof, Alignof and Offsetof calls in c
// that an array type's length uses, directly or through constants declared
// in c, in source order.
func layoutCalls(c *checked) []*ast.CallExpr {
	layout := map[types.Object]bool{
		types.Unsafe.Scope().Lookup("Sizeof"):   true,
		types.Unsafe.Scope().Lookup("Alignof"):  true,
		types.Unsafe.Scope().Lookup("Offsetof"): true,
	}
	consts := map[types.Object]ast.Expr{} // a constant of c → its value's expression
	var lens []ast.Expr
	for _, f := range c.files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GenDecl:
				var last []ast.Expr // a spec without values repeats the previous one's
				for _, spec := range n.Specs {
					vs, ok := spec.(*ast.ValueSpec)
					if !ok {
						continue
					}
					if len(vs.Values) > 0 {
						last = vs.Values
					}
					for i, name := range vs.Names {
						if obj, ok := c.info.Defs[name].(*types.Const); ok && i < len(last) {
							consts[obj] = last[i]
						}
					}
				}
			case *ast.ArrayType:
				if n.Len != nil {
					lens = append(lens, n.Len)
				}
			}
			return true
		})
	}
	var out []*ast.CallExpr
	seen := map[ast.Node]bool{}
	var walk func(e ast.Expr)
	walk = func(e ast.Expr) {
		ast.Inspect(e, func(n ast.Node) bool {
			if seen[n] {
				return false
			}
			seen[n] = true
			switch n := n.(type) {
			case *ast.CallExpr:
				if len(n.Args) == 1 && layout[calleeObj(c.info, n.Fun)] {
					out = append(out, n)
					return false
				}
			case *ast.Ident:
				if v, ok := consts[c.info.Uses[n]]; ok {
					walk(v)
				}
			}
			return true
		})
	}
	for _, l := range lens {
		walk(l)
	}
	slices.SortFunc(out, func(a, b *ast.CallExpr) int { return cmp.Compare(a.Pos(), b.Pos()) })
	return out
}

// calleeObj returns the object a call's function expression names.
func calleeObj(info *types.Info, fun ast.Expr) types.Object {
	switch e := ast.Unparen(fun).(type) {
	case *ast.Ident:
		return info.Uses[e]
	case *ast.SelectorExpr:
		return info.Uses[e.Sel]
	}
	return nil
}

// syncHolders returns the paths of the packages that declare struct fields
// of a wrapped sync type held by value in t (through struct fields and
// array elements, not through pointers, slices, maps, channels or
// interfaces); a field whose type is a type parameter instantiated with one
// is cur's, whose code names the type argument.
func syncHolders(t types.Type, cur string) []string {
	var out []string
	seen := map[types.Type]bool{}
	var walk func(t types.Type)
	walk = func(t types.Type) {
		t = types.Unalias(t)
		if seen[t] {
			return
		}
		seen[t] = true
		switch t := t.(type) {
		case *types.Named:
			walk(t.Underlying())
		case *types.Array:
			walk(t.Elem())
		case *types.Struct:
			for i := range t.NumFields() {
				f := t.Field(i)
				if isWrappedSync(f.Type()) && f.Pkg() != nil {
					if _, param := f.Origin().Type().(*types.TypeParam); param {
						out = append(out, cur) // Padded[sync.Mutex]: the type argument is cur's
					} else {
						out = append(out, f.Pkg().Path())
					}
					continue
				}
				walk(f.Type())
			}
		}
	}
	walk(t)
	return out
}

// isWrappedSync reports whether t is one of sync's types that detect wraps
// (or an array of them).
func isWrappedSync(t types.Type) bool {
	if a, ok := types.Unalias(t).(*types.Array); ok {
		return isWrappedSync(a.Elem())
	}
	return wrappedSync[syncType(t)]
}
