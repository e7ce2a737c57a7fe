package rewrite

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestSyncLayouts(t *testing.T) {
	tests := []struct {
		name string
		give string // declarations of package p, which imports sync and unsafe
		want string // the packages that keep sync's types, with where
	}{
		{"padding", "type b struct{ mu sync.Mutex; n int }\nvar _ [64 - unsafe.Sizeof(b{})]byte", "p: p.go:4:13: unsafe.Sizeof(b{})"},
		{"embedded, nested, array", "type in struct{ sync.RWMutex }\ntype b struct{ x [2]struct{ i in } }\nconst N = unsafe.Sizeof(b{})", "p: p.go:5:11: unsafe.Sizeof(b{})"},
		{"array of locks", "type b struct{ mus [4]sync.WaitGroup }\nvar x b\nconst N = unsafe.Alignof(x)", "p: p.go:5:11: unsafe.Alignof(x)"},
		{"offset", "type b struct{ once sync.Once; n int }\nvar x b\nconst N = unsafe.Offsetof(x.n)", "p: p.go:5:11: unsafe.Offsetof(x.n)"},
		{"the sync type itself", "const N = unsafe.Sizeof(sync.Cond{})", "p: p.go:3:11: unsafe.Sizeof(sync.Cond{})"},
		{"behind a pointer", "type b struct{ mu *sync.Mutex; n int }\nconst N = unsafe.Sizeof(b{})", ""},
		{"in a slice, map, chan, interface", "type b struct{ a []sync.Mutex; m map[int]sync.Mutex; c chan sync.Mutex; l sync.Locker }\nconst N = unsafe.Sizeof(b{})", ""},
		{"sync's own types", "type b struct{ m sync.Map; p sync.Pool }\nconst N = unsafe.Sizeof(b{})", ""},
		{"no struct with a lock", "type b struct{ n int }\nconst N = unsafe.Sizeof(b{})\nvar mu sync.Mutex", ""},
		{"generic", "func F[T any](x T) uintptr { return unsafe.Sizeof(x) }\nvar _ = F(sync.Mutex{})", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "package p\nimport (\"sync\"; \"unsafe\")\n" + tt.give + "\n"
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, "p.go", src, 0)
			if err != nil {
				t.Fatal(err)
			}
			c := &checked{fset: fset, files: []*ast.File{f}, info: &types.Info{
				Types: map[ast.Expr]types.TypeAndValue{},
				Uses:  map[*ast.Ident]types.Object{},
				Defs:  map[*ast.Ident]types.Object{},
			}}
			conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
			c.types, err = conf.Check("p", fset, []*ast.File{f}, c.info)
			if err != nil {
				t.Fatalf("type-check %q: %v", src, err)
			}
			keep := syncLayouts([]*checked{c})
			var got []string
			for _, p := range slices.Sorted(maps.Keys(keep)) {
				got = append(got, p+": "+keep[p])
			}
			if g := strings.Join(got, "\n"); g != tt.want {
				t.Errorf("syncLayouts(%q) = %q, want %q", tt.give, g, tt.want)
			}
		})
	}
}
