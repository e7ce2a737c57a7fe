package detect_test

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/gridlock-go/gridlock/detect"
)

// The API tests check that detect stays a drop-in replacement for the sync
// package of the Go toolchain that runs them: a Go release that adds to sync
// fails TestAPIMatchesSync with a message naming what detect lacks.

const detectPath = "github.com/gridlock-go/gridlock/detect"

// loadPackages type-checks sync (from the installed GOROOT), detect and
// detect/syncapi from source with one importer, so that all see the same
// sync package. It is done once per test binary (it takes seconds).
func loadPackages(t *testing.T) (syncPkg, detectPkg *types.Package) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to resolve the module:", err)
	}
	pkgs, err := loaded()
	if err != nil {
		t.Fatal(err)
	}
	return pkgs[0], pkgs[1]
}

var loaded = sync.OnceValues(func() ([]*types.Package, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	imp, ok := importer.ForCompiler(token.NewFileSet(), "source", nil).(types.ImporterFrom)
	if !ok {
		return nil, fmt.Errorf("the source importer is not a types.ImporterFrom")
	}
	var pkgs []*types.Package
	for _, path := range []string{"sync", detectPath, detectPath + "/syncapi"} {
		p, err := imp.ImportFrom(path, wd, 0)
		if err != nil {
			return nil, fmt.Errorf("importing %s: %v", path, err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
})

func TestAPIMatchesSync(t *testing.T) {
	syncPkg, detectPkg := loadPackages(t)
	problems := compareAPI(syncPkg, detectPkg)
	for _, p := range problems {
		t.Error(p)
	}
	if len(problems) == 0 {
		t.Logf("detect has all %d exported identifiers of sync (%s)", len(exportedNames(syncPkg)), runtime.Version())
	}
}

// TestSyncAPIIsExactlySync checks package syncapi, the target of a dot
// import of sync under gridlock test: it has all of sync's API, and no
// exported name that sync lacks (it would clash with the importing
// package's own).
func TestSyncAPIIsExactlySync(t *testing.T) {
	syncPkg, _ := loadPackages(t)
	pkgs, _ := loaded() // loaded without error by loadPackages
	api := pkgs[2]
	for _, p := range compareAPI(syncPkg, api) {
		t.Error(p)
	}
	for _, name := range exportedNames(api) {
		if syncPkg.Scope().Lookup(name) == nil {
			t.Errorf("syncapi exports %s, which sync does not", name)
		}
	}
}

// TestAPICheckerNamesWhatIsMissing runs the comparison against a sync with
// additions, as a future Go release might have, and checks the messages.
func TestAPICheckerNamesWhatIsMissing(t *testing.T) {
	_, detectPkg := loadPackages(t)
	const src = `package sync

type Locker interface {
	Lock()
	Unlock()
}

type Mutex struct{ state int32 }

func (m *Mutex) Lock()         {}
func (m *Mutex) Unlock()       {}
func (m *Mutex) TryLock() bool { return false }
func (m *Mutex) Held() bool    { return false }

type WaitGroup struct{ n int }

func (wg *WaitGroup) Add(delta int)      {}
func (wg *WaitGroup) Done()              {}
func (wg *WaitGroup) Wait()              {}
func (wg *WaitGroup) Go(f func())        {}
func (wg *WaitGroup) GoN(n int, f func(int)) {}

type Cond struct {
	L     Locker
	Extra int
}

func NewCond(l Locker) *Cond { return nil }
func NewCondFunc(l Locker, f func()) *Cond { return nil }

func OnceValue[T any](f func() T) func() T { return nil }
func OnceValues[T1 any, T2 comparable](f func() (T1, T2)) func() (T1, T2) { return nil }
func OnceFunc(f func(int)) func() { return nil }

type Semaphore struct{}

const MaxWaiters = 10

var ErrClosed error
`
	fake := typeCheck(t, "sync", src)
	got := strings.Join(compareAPI(fake, detectPkg), "\n")
	for _, want := range []string{
		"detect lacks sync.Mutex.Held (func() bool)",
		"detect lacks sync.WaitGroup.GoN (func(n int, f func(int)))",
		"detect lacks sync.Cond.Extra (field int)",
		"detect lacks sync.NewCondFunc (func(l sync.Locker, f func()) *sync.Cond)",
		"detect lacks sync.Semaphore (type struct{})",
		"detect lacks sync.MaxWaiters (const untyped int)",
		"detect lacks sync.ErrClosed (var error)",
		"detect.OnceValues has type parameters [T1 any, T2 any], sync.OnceValues has [T1 any, T2 comparable]",
		"detect.OnceFunc has signature func(f func()) func(), sync.OnceFunc has func(f func(int)) func()",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("messages lack %q; got:\n%s", want, got)
		}
	}
	for _, notWant := range []string{"sync.WaitGroup.Go ", "sync.OnceValue ", "sync.Mutex.TryLock", "sync.NewCond "} {
		if strings.Contains(got+"\n", notWant) {
			t.Errorf("messages name %q, which detect has; got:\n%s", notWant, got)
		}
	}
}

func typeCheck(t *testing.T, path, src string) *types.Package {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "sync.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	conf := types.Config{Importer: importer.Default()}
	pkg, err := conf.Check(path, fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}

func exportedNames(p *types.Package) []string {
	var out []string
	for _, n := range p.Scope().Names() {
		if token.IsExported(n) {
			out = append(out, n)
		}
	}
	return out
}

// compareAPI returns one message per exported identifier of syncPkg that
// detectPkg lacks or declares differently.
func compareAPI(syncPkg, detectPkg *types.Package) []string {
	var msgs []string
	add := func(format string, args ...any) { msgs = append(msgs, fmt.Sprintf(format, args...)) }
	qual := func(p *types.Package) string {
		if p == nil {
			return ""
		}
		if p.Path() == "sync" || p.Path() == detectPkg.Path() || p.Path() == detectPath {
			return "sync"
		}
		return p.Name()
	}
	show := func(t types.Type) string { return types.TypeString(t, qual) }

	for _, name := range exportedNames(syncPkg) {
		so := syncPkg.Scope().Lookup(name)
		do := detectPkg.Scope().Lookup(name)
		if do == nil || !do.Exported() {
			if _, isFunc := so.(*types.Func); isFunc {
				add("detect lacks sync.%s (%s)", name, describe(so, show))
			} else {
				add("detect lacks sync.%s (%s %s)", name, kindOf(so), describe(so, show))
			}
			continue
		}
		if kindOf(so) != kindOf(do) {
			add("detect.%s is a %s, sync.%s is a %s", name, kindOf(do), name, kindOf(so))
			continue
		}
		switch so := so.(type) {
		case *types.Func:
			ss, ds := so.Type().(*types.Signature), do.Type().(*types.Signature)
			msgs = append(msgs, compareSignatures("detect."+name, "sync."+name, ss, ds, show)...)
		case *types.Const, *types.Var:
			if canon(so.Type()) != canon(do.Type()) {
				add("detect.%s has type %s, sync.%s has %s", name, show(do.Type()), name, show(so.Type()))
			}
		case *types.TypeName:
			msgs = append(msgs, compareTypes(name, so.Type(), do.Type(), show)...)
		}
	}
	return msgs
}

func kindOf(o types.Object) string {
	switch o.(type) {
	case *types.Func:
		return "func"
	case *types.TypeName:
		return "type"
	case *types.Const:
		return "const"
	case *types.Var:
		return "var"
	}
	return fmt.Sprintf("%T", o)
}

// describe is the declaration of o as the messages show it.
func describe(o types.Object, show func(types.Type) string) string {
	switch o := o.(type) {
	case *types.TypeName:
		return show(o.Type().Underlying())
	case *types.Func:
		return sigString(o.Type().(*types.Signature), show)
	}
	return show(o.Type())
}

// sigString is a signature with its type parameters, without receiver.
func sigString(s *types.Signature, show func(types.Type) string) string {
	tp := tparamString(s.TypeParams(), show)
	plain := types.NewSignatureType(nil, nil, nil, s.Params(), s.Results(), s.Variadic())
	if tp == "" {
		return show(plain)
	}
	return "func" + tp + strings.TrimPrefix(show(plain), "func")
}

func tparamString(l *types.TypeParamList, show func(types.Type) string) string {
	if l.Len() == 0 {
		return ""
	}
	var parts []string
	for i := range l.Len() {
		p := l.At(i)
		parts = append(parts, p.Obj().Name()+" "+show(p.Constraint()))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func compareSignatures(dname, sname string, ss, ds *types.Signature, show func(types.Type) string) []string {
	var msgs []string
	if canonTParams(ss.TypeParams()) != canonTParams(ds.TypeParams()) {
		msgs = append(msgs, fmt.Sprintf("%s has type parameters %s, %s has %s", dname, tparamString(ds.TypeParams(), show), sname, tparamString(ss.TypeParams(), show)))
	}
	if canonSig(ss) != canonSig(ds) {
		msgs = append(msgs, fmt.Sprintf("%s has signature %s, %s has %s", dname, sigString(ds, show), sname, sigString(ss, show)))
	}
	return msgs
}

// compareTypes compares the type sync.name (st) with detect's (dt): the
// methods of T and *T, the exported fields of a struct, the methods of an
// interface, the underlying type of anything else.
func compareTypes(name string, st, dt types.Type, show func(types.Type) string) []string {
	var msgs []string
	add := func(format string, args ...any) { msgs = append(msgs, fmt.Sprintf(format, args...)) }
	if types.Identical(types.Unalias(st), types.Unalias(dt)) {
		return nil // detect's is an alias of sync's
	}
	if sn, ok := types.Unalias(st).(*types.Named); ok {
		dn, _ := types.Unalias(dt).(*types.Named)
		var dtp *types.TypeParamList
		if dn != nil {
			dtp = dn.TypeParams()
		}
		if canonTParams(sn.TypeParams()) != canonTParams(dtp) {
			add("detect.%s has type parameters %s, sync.%s has %s", name, tparamString(dtp, show), name, tparamString(sn.TypeParams(), show))
		}
	}

	// Methods: those of the value type (value receivers) and of the
	// pointer type (all of them), so that a method sync declares on T and
	// detect only on *T is caught.
	for _, ptr := range []bool{false, true} {
		sms, dms := methodSet(st, ptr), methodSet(dt, ptr)
		for _, m := range sortedKeys(sms) {
			sf := sms[m]
			df, ok := dms[m]
			recv := name
			if ptr {
				recv = "(*" + name + ")"
			}
			if !ok {
				if ptr && methodSet(st, false)[m] != nil {
					continue // already reported for the value type
				}
				if !ptr || dms[m] == nil {
					if _, onPtr := methodSet(dt, true)[m]; !ptr && onPtr {
						add("detect.%s.%s has a pointer receiver, sync's a value receiver", name, m)
						continue
					}
					add("detect lacks sync.%s.%s (%s)", name, m, sigString(sf.Signature(), show))
				}
				continue
			}
			if canonSig(sf.Signature()) != canonSig(df.Signature()) {
				add("detect.%s.%s has signature %s, sync.%s.%s has %s", recv, m, sigString(df.Signature(), show), recv, m, sigString(sf.Signature(), show))
			}
		}
	}

	su, du := st.Underlying(), dt.Underlying()
	switch su := su.(type) {
	case *types.Struct:
		dstruct, ok := du.(*types.Struct)
		if !ok {
			add("detect.%s is %s, sync.%s is a struct", name, show(du), name)
			break
		}
		dfields := map[string]*types.Var{}
		for i := range dstruct.NumFields() {
			dfields[dstruct.Field(i).Name()] = dstruct.Field(i)
		}
		for i := range su.NumFields() {
			f := su.Field(i)
			if !f.Exported() {
				continue
			}
			df, ok := dfields[f.Name()]
			switch {
			case !ok || !df.Exported():
				add("detect lacks sync.%s.%s (field %s)", name, f.Name(), show(f.Type()))
			case canon(f.Type()) != canon(df.Type()):
				add("detect.%s.%s has type %s, sync.%s.%s has %s", name, f.Name(), show(df.Type()), name, f.Name(), show(f.Type()))
			case f.Embedded() != df.Embedded():
				add("detect.%s.%s embedded=%v, sync's embedded=%v", name, f.Name(), df.Embedded(), f.Embedded())
			}
		}
	case *types.Interface:
		// Methods are compared above; an interface must also not demand
		// more than sync's.
		di, ok := du.(*types.Interface)
		if !ok {
			add("detect.%s is %s, sync.%s is an interface", name, show(du), name)
			break
		}
		if canon(su) != canon(di) {
			add("detect.%s is %s, sync.%s is %s", name, show(di), name, show(su))
		}
	default:
		if canon(su) != canon(du) {
			add("detect.%s has underlying type %s, sync.%s has %s", name, show(du), name, show(su))
		}
	}
	return msgs
}

func methodSet(t types.Type, ptr bool) map[string]*types.Func {
	if ptr {
		if _, isIface := t.Underlying().(*types.Interface); !isIface {
			t = types.NewPointer(t)
		}
	}
	out := map[string]*types.Func{}
	ms := types.NewMethodSet(t)
	for i := range ms.Len() {
		f := ms.At(i).Obj().(*types.Func)
		if f.Exported() {
			out[f.Name()] = f
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// canon is a canonical string for a type in which sync's and detect's types
// of the same name are the same, aliases are resolved, and type parameters
// are named by their index, so that func[T any] and func[U any] compare
// equal.
func canon(t types.Type) string {
	var b strings.Builder
	writeCanon(&b, t, map[types.Type]bool{})
	return b.String()
}

func canonSig(s *types.Signature) string {
	var b strings.Builder
	writeSig(&b, s, map[types.Type]bool{})
	return b.String()
}

func canonTParams(l *types.TypeParamList) string {
	if l == nil || l.Len() == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteByte('[')
	for i := range l.Len() {
		if i > 0 {
			b.WriteByte(',')
		}
		writeCanon(&b, l.At(i).Constraint(), map[types.Type]bool{})
	}
	b.WriteByte(']')
	return b.String()
}

func writeCanon(b *strings.Builder, t types.Type, seen map[types.Type]bool) {
	t = types.Unalias(t)
	switch t := t.(type) {
	case *types.Basic:
		b.WriteString(t.Name())
	case *types.Pointer:
		b.WriteByte('*')
		writeCanon(b, t.Elem(), seen)
	case *types.Slice:
		b.WriteString("[]")
		writeCanon(b, t.Elem(), seen)
	case *types.Array:
		fmt.Fprintf(b, "[%d]", t.Len())
		writeCanon(b, t.Elem(), seen)
	case *types.Map:
		b.WriteString("map[")
		writeCanon(b, t.Key(), seen)
		b.WriteByte(']')
		writeCanon(b, t.Elem(), seen)
	case *types.Chan:
		fmt.Fprintf(b, "chan(%d) ", t.Dir())
		writeCanon(b, t.Elem(), seen)
	case *types.Signature:
		b.WriteString("func")
		writeSig(b, t, seen)
	case *types.Tuple:
		b.WriteByte('(')
		for i := range t.Len() {
			if i > 0 {
				b.WriteByte(',')
			}
			writeCanon(b, t.At(i).Type(), seen)
		}
		b.WriteByte(')')
	case *types.TypeParam:
		fmt.Fprintf(b, "$%d", t.Index())
	case *types.Named:
		obj := t.Obj()
		path := ""
		if obj.Pkg() != nil {
			path = obj.Pkg().Path()
		}
		if path == detectPath {
			path = "sync"
		}
		b.WriteString(path + "." + obj.Name())
		if ta := t.TypeArgs(); ta.Len() > 0 {
			b.WriteByte('[')
			for i := range ta.Len() {
				if i > 0 {
					b.WriteByte(',')
				}
				writeCanon(b, ta.At(i), seen)
			}
			b.WriteByte(']')
		}
	case *types.Interface:
		if seen[t] {
			b.WriteString("<cycle>")
			return
		}
		seen[t] = true
		b.WriteString("interface{")
		for i := range t.NumMethods() {
			m := t.Method(i)
			b.WriteString(m.Name())
			writeSig(b, m.Type().(*types.Signature), seen)
			b.WriteByte(';')
		}
		for i := range t.NumEmbeddeds() {
			e := t.EmbeddedType(i)
			if u, ok := e.(*types.Union); ok {
				for j := range u.Len() {
					if j > 0 {
						b.WriteByte('|')
					}
					if u.Term(j).Tilde() {
						b.WriteByte('~')
					}
					writeCanon(b, u.Term(j).Type(), seen)
				}
			} else {
				writeCanon(b, e, seen)
			}
			b.WriteByte(';')
		}
		b.WriteByte('}')
	case *types.Struct:
		b.WriteString("struct{")
		for i := range t.NumFields() {
			f := t.Field(i)
			if f.Exported() {
				b.WriteString(f.Name())
			} else {
				b.WriteString(f.Pkg().Path() + "." + f.Name())
			}
			b.WriteByte(' ')
			writeCanon(b, f.Type(), seen)
			fmt.Fprintf(b, " %q;", t.Tag(i))
		}
		b.WriteByte('}')
	default:
		b.WriteString(t.String())
	}
}

func writeSig(b *strings.Builder, s *types.Signature, seen map[types.Type]bool) {
	writeCanon(b, s.Params(), seen)
	if s.Variadic() {
		b.WriteString("...")
	}
	writeCanon(b, s.Results(), seen)
}

// TestZeroValuesUsable uses the zero value of each lock type, with gridlock
// off and on.
func TestZeroValuesUsable(t *testing.T) {
	cases := []struct {
		name string
		use  func(t *testing.T)
	}{
		{"Mutex", func(t *testing.T) {
			var mu detect.Mutex
			mu.Lock()
			if mu.TryLock() {
				t.Error("TryLock of a locked Mutex succeeded")
			}
			mu.Unlock()
			if !mu.TryLock() {
				t.Error("TryLock of an unlocked Mutex failed")
			}
			mu.Unlock()
		}},
		{"RWMutex", func(t *testing.T) {
			var rw detect.RWMutex
			rw.RLock()
			rw.RUnlock()
			rw.Lock()
			if rw.TryRLock() {
				t.Error("TryRLock of a write-locked RWMutex succeeded")
			}
			rw.Unlock()
			l := rw.RLocker()
			l.Lock()
			l.Unlock()
		}},
		{"WaitGroup", func(t *testing.T) {
			var wg detect.WaitGroup
			wg.Wait() // zero counter: returns at once
			n := 0
			var mu detect.Mutex
			wg.Add(1)
			go func() { defer wg.Done(); mu.Lock(); n++; mu.Unlock() }()
			wg.Go(func() { mu.Lock(); n++; mu.Unlock() })
			wg.Wait()
			if n != 2 {
				t.Errorf("n = %d after Wait, want 2", n)
			}
		}},
		{"Cond", func(t *testing.T) {
			var mu detect.Mutex
			c := detect.Cond{L: &mu}
			ready := false
			done := make(chan struct{})
			go func() {
				mu.Lock()
				for !ready {
					c.Wait()
				}
				mu.Unlock()
				close(done)
			}()
			mu.Lock()
			ready = true
			c.Broadcast()
			mu.Unlock()
			<-done
			c.Signal() // no waiter: a no-op
		}},
	}
	for _, mode := range []string{"off", "on"} {
		for _, tc := range cases {
			t.Run(mode+"/"+tc.name, func(t *testing.T) {
				if mode == "on" {
					reports := start(t)
					tc.use(t)
					if r := reports(); len(r) != 0 {
						t.Errorf("reports = %v, want none", kinds(r))
					}
					return
				}
				if detect.Enabled() {
					t.Skip("a detector is active (GRIDLOCK is set)")
				}
				tc.use(t)
			})
		}
	}
}

// TestVetCopyLocks checks that go vet's copylocks analyzer still reports
// copies of detect's lock types: each embeds its sync counterpart, which is
// what copylocks looks for.
func TestVetCopyLocks(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command:", err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/vetcopy\n\ngo 1.26\n\nrequire github.com/gridlock-go/gridlock v0.0.0\n\nreplace github.com/gridlock-go/gridlock => "+root+"\n")
	if sum, err := os.ReadFile(filepath.Join(root, "go.sum")); err == nil {
		write("go.sum", string(sum))
	}
	write("copy.go", `package vetcopy

import sync "github.com/gridlock-go/gridlock/detect"

type guarded struct {
	mu sync.Mutex
	n  int
}

func CopyMutex(m *sync.Mutex) {
	c := *m
	c.Lock()
}

func ByValue(m sync.Mutex) {}

func CopyRW(rw *sync.RWMutex) sync.RWMutex { return *rw }

func CopyWG(wg *sync.WaitGroup) {
	w := *wg
	w.Wait()
}

func CopyCond(c *sync.Cond) {
	d := *c
	d.Signal()
}

func (g guarded) Get() int { return g.n }

func CopyOnce(o *sync.Once) {
	p := *o
	p.Do(func() {})
}
`)
	cmd := exec.Command("go", "vet", "-copylocks", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off")
	out, err := cmd.CombinedOutput()
	text := string(out)
	if err == nil {
		t.Fatalf("go vet found nothing:\n%s", text)
	}
	t.Logf("go vet:\n%s", text)
	lines := strings.Split(text, "\n")
	for _, want := range []struct {
		line int
		msg  string
	}{
		{11, "assignment copies lock value to c: " + detectPath + ".Mutex"},
		{15, "ByValue passes lock by value: " + detectPath + ".Mutex"},
		{17, "return copies lock value: " + detectPath + ".RWMutex"},
		{20, "assignment copies lock value to w: " + detectPath + ".WaitGroup"},
		{25, "assignment copies lock value to d: " + detectPath + ".Cond"},
		{29, "Get passes lock by value: example.com/vetcopy.guarded contains " + detectPath + ".Mutex"},
		{32, "assignment copies lock value to p: " + detectPath + ".Once"},
	} {
		prefix := fmt.Sprintf("copy.go:%d:", want.line)
		found := false
		for _, l := range lines {
			if strings.HasPrefix(l, prefix) && strings.Contains(l, want.msg) {
				found = true
			}
		}
		if !found {
			t.Errorf("go vet reports no %q at line %d", want.msg, want.line)
		}
	}
}
