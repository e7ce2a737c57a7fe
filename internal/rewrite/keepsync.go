package rewrite

import (
	"fmt"
	"go/ast"
	"go/types"
)

// Some packages must keep sync's lock types: their "sync" imports are not
// switched to detect (their channels are still instrumented), and their
// locks are untracked. keepSync finds them, for two reasons:
//
//   - detect's lock types are bigger than sync's (and a Mutex is 8-byte
//     aligned, sync's 4), so code that takes the size, alignment or a field
//     offset of a struct holding one by value (cache-line padding computed
//     with unsafe.Sizeof, pointer arithmetic over an array of such structs)
//     would not compile, or would compute wrong addresses, if the struct
//     held detect's. The package that declares the struct keeps sync's.
//   - a package that is not switched (a dependency outside the instrumented
//     scope, or one kept by the first rule) may declare functions, fields
//     or variables whose types name sync's lock types (func Wait(wg
//     *sync.WaitGroup)); a switched package that uses them would pass a
//     *detect.WaitGroup where a *sync.WaitGroup is wanted and not compile.
//     A package that uses such an object keeps sync's too, until no more
//     packages are added.

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
	for grew := true; grew; {
		grew = false
		for _, c := range cs {
			if c.types == nil || c.typeErr != nil {
				continue
			}
			path := c.types.Path()
			if _, kept := keep[path]; !kept {
				// A switched package using a kept one's sync-typed objects.
				if id, obj := crossing(c, func(p string) bool { return !switched(p) }); id != nil {
					keep[path] = fmt.Sprintf("it uses %s (%s) of %s, whose sync types stay sync's (%s)",
						qualified(obj), objType(obj), obj.Pkg().Path(), c.fset.Position(id.Pos()))
					grew = true
				}
				continue
			}
			// A kept package using a switched one's: that one is kept too.
			if id, obj := crossing(c, func(p string) bool { return p != "sync" && switched(p) }); id != nil {
				keep[obj.Pkg().Path()] = fmt.Sprintf("%s, whose sync types stay sync's, uses its %s (%s) (%s)",
					path, qualified(obj), objType(obj), c.fset.Position(id.Pos()))
				grew = true
			}
		}
	}
	return keep
}

func qualified(obj types.Object) string { return obj.Pkg().Name() + "." + obj.Name() }

func objType(obj types.Object) string { return types.TypeString(obj.Type(), (*types.Package).Name) }

// crossing returns c's first use (in source order) of an object of a
// package for which across is true whose type names one of sync's wrapped
// types, apart from calling methods on such a field (l.Mu.Lock(), which
// works with either type); nil if none.
func crossing(c *checked, across func(string) bool) (*ast.Ident, types.Object) {
	methodRecv := map[*ast.Ident]bool{}
	for _, f := range c.files {
		ast.Inspect(f, func(n ast.Node) bool {
			if s, ok := n.(*ast.SelectorExpr); ok {
				if sel := c.info.Selections[s]; sel != nil && sel.Kind() == types.MethodVal {
					if x, ok := ast.Unparen(s.X).(*ast.SelectorExpr); ok {
						methodRecv[x.Sel] = true
					}
				}
			}
			return true
		})
	}
	var first *ast.Ident
	var firstObj types.Object
	for id, obj := range c.info.Uses {
		if obj.Pkg() == nil || obj.Pkg() == c.types || !across(obj.Pkg().Path()) || methodRecv[id] {
			continue
		}
		switch obj.(type) {
		case *types.Func, *types.Var:
		default:
			continue
		}
		if !mentionsWrapped(obj.Type()) {
			continue
		}
		if first == nil || id.Pos() < first.Pos() {
			first, firstObj = id, obj
		}
	}
	return first, firstObj
}

// mentionsWrapped reports whether the type t is written with one of sync's
// wrapped types (*sync.Mutex, func([]sync.WaitGroup), ...), not counting
// the insides of other named types.
func mentionsWrapped(t types.Type) bool {
	switch t := types.Unalias(t).(type) {
	case *types.Named:
		return isWrappedSync(t)
	case *types.Pointer:
		return mentionsWrapped(t.Elem())
	case *types.Slice:
		return mentionsWrapped(t.Elem())
	case *types.Array:
		return mentionsWrapped(t.Elem())
	case *types.Chan:
		return mentionsWrapped(t.Elem())
	case *types.Map:
		return mentionsWrapped(t.Key()) || mentionsWrapped(t.Elem())
	case *types.Signature:
		return mentionsWrapped(t.Params()) || mentionsWrapped(t.Results())
	case *types.Tuple:
		for v := range t.Variables() {
			if mentionsWrapped(v.Type()) {
				return true
			}
		}
	case *types.Struct:
		for f := range t.Fields() {
			if mentionsWrapped(f.Type()) {
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
// keep sync's types, where its layout is first relied on, e.g.
// "x/map.go:148: unsafe.Sizeof(bucket{})".
func syncLayouts(cs []*checked) map[string]string {
	keep := map[string]string{}
	for _, c := range cs {
		if c.typeErr != nil {
			continue
		}
		sizeof := types.Unsafe.Scope().Lookup("Sizeof")
		offsetof := types.Unsafe.Scope().Lookup("Offsetof")
		alignof := types.Unsafe.Scope().Lookup("Alignof")
		for _, f := range c.files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) != 1 {
					return true
				}
				fn := calleeObj(c.info, call.Fun)
				if fn == nil || (fn != sizeof && fn != offsetof && fn != alignof) {
					return true
				}
				arg := ast.Unparen(call.Args[0])
				var t types.Type
				if fn == offsetof {
					// The offset of x.f depends on the fields of x's struct.
					sel, ok := arg.(*ast.SelectorExpr)
					if !ok {
						return true
					}
					t = c.info.TypeOf(sel.X)
				} else {
					t = c.info.TypeOf(arg)
				}
				if t == nil {
					return true
				}
				where := fmt.Sprintf("the code relies on their size, and gridlock's are bigger (%s: %s)", c.fset.Position(call.Pos()), types.ExprString(call))
				holders := syncHolders(t)
				if isWrappedSync(t) && c.types != nil {
					holders = append(holders, c.types.Path()) // unsafe.Sizeof(sync.Mutex{})
				}
				for _, pkg := range holders {
					if _, seen := keep[pkg]; !seen {
						keep[pkg] = where
					}
				}
				return true
			})
		}
	}
	return keep
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
// interfaces).
func syncHolders(t types.Type) []string {
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
					out = append(out, f.Pkg().Path())
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
	t = types.Unalias(t)
	if a, ok := t.(*types.Array); ok {
		return isWrappedSync(a.Elem())
	}
	n, ok := t.(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != "sync" {
		return false
	}
	return wrappedSync[n.Obj().Name()]
}
