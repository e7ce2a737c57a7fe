package rewrite

import (
	"fmt"
	"go/ast"
	"go/types"
)

// detect's lock types are bigger than sync's (and a Mutex is 8-byte
// aligned, sync's 4), so code that takes the size, alignment or a field
// offset of a struct holding one by value (cache-line padding computed with
// unsafe.Sizeof, pointer arithmetic over an array of such structs) would
// not compile, or would compute wrong addresses, if the struct held
// detect's. The package that declares such a struct keeps sync's types: its
// "sync" import is not switched (its channels are still instrumented).

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
				where := fmt.Sprintf("%s: %s", c.fset.Position(call.Pos()), types.ExprString(call))
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
