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
		{"padding", "type b struct{ mu sync.Mutex; n int }\nvar _ [64 - unsafe.Sizeof(b{})]byte", "p: p/x.go:4:13: unsafe.Sizeof(b{})"},
		{"embedded, nested, array, through constants", "type in struct{ sync.RWMutex }\ntype b struct{ x [2]struct{ i in } }\nconst N = unsafe.Sizeof(b{})\nconst M = 128 - N\ntype pad [M]byte", "p: p/x.go:5:11: unsafe.Sizeof(b{})"},
		{"array of locks, in a composite literal", "type b struct{ mus [4]sync.WaitGroup }\nvar x b\nvar y = [unsafe.Alignof(x)]int{}", "p: p/x.go:5:10: unsafe.Alignof(x)"},
		{"offset", "type b struct{ once sync.Once; n int }\nvar x b\nconst N = unsafe.Offsetof(x.n)\nvar _ [N]byte", "p: p/x.go:5:11: unsafe.Offsetof(x.n)"},
		{"the sync type itself", "var _ [unsafe.Sizeof(sync.Cond{})]byte", "p: p/x.go:3:8: unsafe.Sizeof(sync.Cond{})"},
		{"a type argument", "type box[T any] struct{ v T; n int }\nvar _ [unsafe.Sizeof(box[sync.Mutex]{})]byte", "p: p/x.go:4:8: unsafe.Sizeof(box[sync.Mutex]{})"},
		{"memory accounting", "type b struct{ mu sync.Mutex; n int }\nvar size = int64(unsafe.Sizeof(b{}))\nconst N = unsafe.Sizeof(b{})", ""},
		{"pointer arithmetic", "type b struct{ mu sync.Mutex; n int }\nfunc at(a *[4]b, i int) *b { return (*b)(unsafe.Add(unsafe.Pointer(a), uintptr(i)*unsafe.Sizeof(b{}))) }", ""},
		{"behind a pointer", "type b struct{ mu *sync.Mutex; n int }\nvar _ [unsafe.Sizeof(b{})]byte", ""},
		{"in a slice, map, chan, interface", "type b struct{ a []sync.Mutex; m map[int]sync.Mutex; c chan sync.Mutex; l sync.Locker }\nvar _ [unsafe.Sizeof(b{})]byte", ""},
		{"sync's own types", "type b struct{ m sync.Map; p sync.Pool }\nvar _ [unsafe.Sizeof(b{})]byte", ""},
		{"no struct with a lock", "type b struct{ n int }\nvar _ [unsafe.Sizeof(b{})]byte\nvar mu sync.Mutex", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := checkPackages(t, []string{"p"}, map[string]string{"p": "package p\nimport (\"sync\"; \"unsafe\")\n" + tt.give + "\n"}, map[string]bool{"p": true})
			keep := syncLayouts(cs)
			var got []string
			for _, p := range slices.Sorted(maps.Keys(keep)) {
				got = append(got, p+": "+strings.TrimSuffix(strings.TrimPrefix(keep[p], "an array length relies on their size, and gridlock's are bigger ("), ")"))
			}
			if g := strings.Join(got, "\n"); g != tt.want {
				t.Errorf("syncLayouts(%q) = %q, want %q", tt.give, g, tt.want)
			}
		})
	}
}

// checkPackages type-checks the packages srcs (path → source, checked in
// the order of paths), each importing the ones before and the standard
// library, and returns the units among them.
func checkPackages(t *testing.T, paths []string, srcs map[string]string, units map[string]bool) []*checked {
	t.Helper()
	fset := token.NewFileSet()
	std := importer.ForCompiler(fset, "source", nil)
	done := map[string]*types.Package{}
	imp := importerFunc(func(path string) (*types.Package, error) {
		if p, ok := done[path]; ok {
			return p, nil
		}
		return std.Import(path)
	})
	var cs []*checked
	for _, path := range paths {
		f, err := parser.ParseFile(fset, path+"/x.go", srcs[path], 0)
		if err != nil {
			t.Fatal(err)
		}
		c := &checked{fset: fset, files: []*ast.File{f}, info: &types.Info{
			Types:      map[ast.Expr]types.TypeAndValue{},
			Uses:       map[*ast.Ident]types.Object{},
			Defs:       map[*ast.Ident]types.Object{},
			Selections: map[*ast.SelectorExpr]*types.Selection{},
		}}
		conf := types.Config{Importer: imp}
		c.types, err = conf.Check(path, fset, []*ast.File{f}, c.info)
		if err != nil {
			t.Fatalf("type-check %s: %v", path, err)
		}
		done[path] = c.types
		if units[path] {
			cs = append(cs, c)
		}
	}
	return cs
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

func TestKeepSync(t *testing.T) {
	const dep = `package dep
import "sync"
func Wait(wg *sync.WaitGroup) { wg.Wait() }
func Count(n int) int { return n }
type Locked struct { Mu sync.Mutex; N int }
type Config struct { WG *sync.WaitGroup }
var Global sync.Mutex
type Multi struct { Mus [2]sync.Mutex; Mu sync.Mutex }
var Shared Multi
type Handler func(*sync.WaitGroup)
func Run(h Handler) {}
type Waiter interface{ Wait(*sync.WaitGroup) }
type WG = sync.WaitGroup
type Box[T any] struct{ V T }
var B Box[sync.Mutex]
type Svc struct{}
func (*Svc) Join(wg *sync.WaitGroup) {}
`
	const why = "and dep keeps sync's types"
	tests := []struct {
		name string
		give string // package a, which may import sync and dep (a dependency, not switched)
		want []string
	}{
		{"call with a sync pointer", "import (\"sync\"; \"dep\")\nfunc F() { var wg sync.WaitGroup; dep.Wait(&wg) }", []string{"a: it uses dep.Wait (func(wg *sync.WaitGroup)), " + why + " (a/x.go:3:39)"}},
		{"a method on a field", "import \"dep\"\nfunc F(l *dep.Locked) { l.Mu.Lock(); defer l.Mu.Unlock(); dep.Global.Lock(); dep.Global.Unlock() }", nil},
		{"a method value of a field", "import \"dep\"\nfunc F(l *dep.Locked) func() { return l.Mu.Lock }", nil},
		{"a method on an element", "import \"dep\"\nfunc F() { dep.Shared.Mus[1].Lock(); (dep.Shared.Mus[1]).Unlock() }", nil},
		{"a method through a dot import", "import . \"dep\"\nfunc F() { Global.Lock(); Global.Unlock() }", nil},
		{"where an interface is wanted", "import (\"sync\"; \"dep\")\nvar c = sync.NewCond(&dep.Shared.Mu)\nfunc F(l ...sync.Locker) {}\nfunc G() { F(&dep.Global, &dep.Shared.Mus[0]) }", nil},
		{"a field's address", "import \"dep\"\nfunc F(l *dep.Locked) { p := &l.Mu; p.Lock() }", []string{"a: it uses field Mu of a dep type (sync.Mutex), " + why + " (a/x.go:3:33)"}},
		{"a composite literal key", "import (\"sync\"; \"dep\")\nvar wg sync.WaitGroup\nvar c = dep.Config{WG: &wg}", []string{"a: it uses field WG of a dep type (*sync.WaitGroup), " + why + " (a/x.go:4:20)"}},
		{"an unkeyed composite literal", "import (\"sync\"; \"dep\")\nvar wg sync.WaitGroup\nvar c = dep.Config{&wg}", []string{"a: it uses field WG of a dep type (*sync.WaitGroup), " + why + " (a/x.go:4:20)"}},
		{"no sync types", "import \"dep\"\nvar n = dep.Count(1)\nvar l dep.Locked", nil},
		{"a package variable", "import \"dep\"\nvar p = &dep.Global", []string{"a: it uses dep.Global (sync.Mutex), " + why + " (a/x.go:3:14)"}},
		{"a named func type", "import (\"sync\"; \"dep\")\nfunc F() { dep.Run(func(wg *sync.WaitGroup) {}) }", []string{"a: it uses dep.Run (func(h dep.Handler)), " + why + " (a/x.go:3:16)"}},
		{"an interface type", "import \"dep\"\nvar w dep.Waiter", []string{"a: it uses dep.Waiter (dep.Waiter), " + why + " (a/x.go:3:11)"}},
		{"an alias", "import \"dep\"\nvar wg dep.WG", []string{"a: it uses dep.WG (dep.WG), " + why + " (a/x.go:3:12)"}},
		{"a type argument alone", "import (\"sync\"; \"dep\")\nvar b dep.Box[sync.Mutex]", nil},
		{"a generic instance's value", "import (\"sync\"; \"dep\")\nvar b dep.Box[sync.Mutex] = dep.B", []string{"a: it uses dep.B (dep.Box[sync.Mutex]), " + why + " (a/x.go:3:33)"}},
		{"a method", "import (\"sync\"; \"dep\")\nfunc F(s *dep.Svc) { var wg sync.WaitGroup; s.Join(&wg) }", []string{"a: it uses (*dep.Svc).Join (func(wg *sync.WaitGroup)), " + why + " (a/x.go:3:47)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := checkPackages(t, []string{"dep", "a"}, map[string]string{"dep": dep, "a": "package a\n" + tt.give + "\n"}, map[string]bool{"a": true})
			keep := keepSync(cs)
			var got []string
			for _, p := range slices.Sorted(maps.Keys(keep)) {
				got = append(got, p+": "+keep[p])
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("keepSync(%q) = %q, want %q", tt.give, got, tt.want)
			}
		})
	}
}

// TestKeepSyncSpreads: a package kept for its layout makes a switched
// package that passes it a lock keep sync's types too, and that one the
// next.
func TestKeepSyncSpreads(t *testing.T) {
	srcs := map[string]string{
		"p": "package p\nimport (\"sync\"; \"unsafe\")\ntype b struct{ mu sync.Mutex }\nvar _ [unsafe.Sizeof(b{})]byte\nfunc Guard(mu *sync.Mutex) {}\n",
		"q": "package q\nimport (\"sync\"; \"p\")\nfunc Q(mu *sync.Mutex) { p.Guard(mu) }\n",
		"r": "package r\nimport (\"sync\"; \"q\")\nfunc R() { var mu sync.Mutex; q.Q(&mu) }\n",
		"s": "package s\nimport (\"sync\"; \"r\")\nvar mu sync.Mutex\nfunc S() { r.R() }\n",
	}
	cs := checkPackages(t, []string{"p", "q", "r", "s"}, srcs, map[string]bool{"p": true, "q": true, "r": true, "s": true})
	keep := keepSync(cs)
	if got, want := slices.Sorted(maps.Keys(keep)), []string{"p", "q", "r"}; !slices.Equal(got, want) {
		t.Errorf("keepSync kept %q, want %q (s uses no sync type of theirs)", got, want)
	}
}

// TestKeepSyncSpreadsBack: a package kept for its layout that hands a lock
// to a switched package's function makes that package keep sync's types.
func TestKeepSyncSpreadsBack(t *testing.T) {
	srcs := map[string]string{
		"t": "package t\nimport \"sync\"\nfunc T(mu *sync.Mutex) {}\nfunc V(n int) {}\n",
		"u": "package u\nimport \"sync\"\nfunc U(mu *sync.Mutex) {}\n",
		"p": "package p\nimport (\"sync\"; \"unsafe\"; \"t\"; \"u\")\ntype b struct{ mu sync.Mutex }\nvar _ [unsafe.Sizeof(b{})]byte\nfunc P() { var x b; t.T(&x.mu); _ = u.U }\n",
	}
	cs := checkPackages(t, []string{"t", "u", "p"}, srcs, map[string]bool{"t": true, "u": true, "p": true})
	keep := keepSync(cs)
	if got, want := slices.Sorted(maps.Keys(keep)), []string{"p", "t", "u"}; !slices.Equal(got, want) {
		t.Errorf("keepSync kept %q, want %q", got, want)
	}
	if got, want := keep["t"], "p keeps sync's types and uses its t.T (func(mu *sync.Mutex)) (p/x.go:5:23)"; got != want {
		t.Errorf("keepSync(...)[t] = %q, want %q", got, want)
	}
}
