package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/pprof/profile"
)

var (
	e2eOnce sync.Once
	e2eDir  string
)

// e2eModule is a small module, shared by the end-to-end tests, that does
// not require gridlock: gridlock test must add it through -modfile.
func e2eModule(t *testing.T) string {
	if testing.Short() {
		t.Skip("end-to-end: runs go test")
	}
	e2eOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gridlock-e2e-")
		if err != nil {
			t.Fatal(err)
		}
		cleanups = append(cleanups, dir)
		e2eDir = writeModule(t, dir, e2eFiles)
	})
	return e2eDir
}

var e2eFiles = map[string]string{
	"go.mod": "module example.com/e2e\n\ngo 1.24\n",
	"lib/lib.go": `package lib

import "sync"

// Counter is safe for concurrent use.
type Counter struct {
	mu sync.Mutex
	n  int
}

func (c *Counter) Inc() { c.mu.Lock(); c.n++; c.mu.Unlock() }

func (c *Counter) N() int { c.mu.Lock(); defer c.mu.Unlock(); return c.n }
`,
	"okpkg/ok.go": `package okpkg

import (
	"sync"

	"example.com/e2e/lib"
)

// Work starts n workers and sums what they send.
func Work(n int) int {
	var c lib.Counter
	var wg sync.WaitGroup
	ch := make(chan int, n)
	for i := range n {
		wg.Add(1)
		go func() { defer wg.Done(); c.Inc(); ch <- i }()
	}
	wg.Wait()
	close(ch)
	s := 0
	for v := range ch {
		s += v
	}
	done := make(chan struct{})
	go func() { close(done) }()
	select {
	case <-done:
	}
	return s + c.N()
}
`,
	"okpkg/ok_test.go": `package okpkg

import "testing"

func TestWork(t *testing.T) {
	if got := Work(4); got != 10 {
		t.Fatalf("Work(4) = %d, want 10", got)
	}
}
`,
	"failpkg/fail_test.go": `package failpkg

import (
	"sync"
	"testing"
)

func TestFails(t *testing.T) {
	var mu sync.Mutex
	mu.Lock()
	mu.Unlock()
	t.Fatal("this test fails on purpose")
}
`,
	"deadpkg/dead_test.go": `package deadpkg

import (
	"sync"
	"testing"
)

// Locks taken in both orders: a potential deadlock, though this run does
// not hang.
func TestInversion(t *testing.T) {
	var a, b sync.Mutex
	a.Lock()
	b.Lock()
	b.Unlock()
	a.Unlock()
	b.Lock()
	a.Lock()
	a.Unlock()
	b.Unlock()
}
`,
	"sharedhelpers/invert.go": `package sharedhelpers

import "sync"

// Invert takes two locks in both orders (no tests in this package).
func Invert() {
	var a, b sync.Mutex
	a.Lock()
	b.Lock()
	b.Unlock()
	a.Unlock()
	b.Lock()
	a.Lock()
	a.Unlock()
	b.Unlock()
}
`,
	"userpkg/user_test.go": `package userpkg_test

import (
	"testing"

	"example.com/e2e/sharedhelpers"
)

func TestUsesHelper(t *testing.T) { sharedhelpers.Invert() }
`,
	"tmpkg/tm.go": `package tmpkg

func Two() int { return 2 }
`,
	"tmpkg/in_test.go": `package tmpkg

import "testing"

func TestIn(t *testing.T) {
	if Two() != 2 {
		t.Fatal("Two")
	}
}
`,
	"tmpkg/main_test.go": `package tmpkg_test

import (
	"fmt"
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	fmt.Println("user TestMain done")
	os.Exit(code)
}
`,
}

// snapshot returns the content of every file under dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		files[path] = string(b)
		return err
	})
	return files
}

func TestEndToEnd(t *testing.T) {
	dir := e2eModule(t)
	before := snapshot(t, dir)
	tests := []struct {
		name     string
		give     []string
		wantCode int
		want     []string // in stdout
	}{
		{"passing", []string{"test", "-cache=false", "./okpkg"}, 0, []string{"ok  \texample.com/e2e/okpkg", "ok   example.com/e2e/okpkg  0 reports", "0 reports (0 distinct)"}},
		{"failing", []string{"test", "-cache=false", "./failpkg"}, 1, []string{"this test fails on purpose", "FAIL example.com/e2e/failpkg  0 reports", "tests failed"}},
		{"user TestMain", []string{"test", "-cache=false", "./tmpkg", "--", "-count=1", "-v"}, 0, []string{"user TestMain done", "ok   example.com/e2e/tmpkg"}},
		{"report", []string{"test", "-cache=false", "-instrument=named", "./deadpkg"}, 3, []string{"gridlock: lock-order-cycle", "FAIL example.com/e2e/deadpkg  1 reports", "1 reports (1 distinct)"}},
		// The report's stacks name both packages; it belongs to the test
		// binary that made it, not to the helper package without tests.
		{"report in a helper", []string{"test", "-cache=false", "./userpkg", "./sharedhelpers"}, 3, []string{"FAIL example.com/e2e/userpkg        1 reports", "?    example.com/e2e/sharedhelpers  0 reports"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runIn(t, dir, tt.give...)
			if code != tt.wantCode {
				t.Errorf("gridlock %q exit = %d, want %d\nstdout:\n%s\nstderr:\n%s", tt.give, code, tt.wantCode, stdout, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("gridlock %q stdout lacks %q:\n%s\nstderr:\n%s", tt.give, w, stdout, stderr)
				}
			}
		})
	}
	// The merged profile of a run with reports.
	prof := filepath.Join(t.TempDir(), "merged.pb.gz")
	code, stdout, stderr := runIn(t, dir, "test", "-cache=false", "-instrument=named", "-profile", prof, "./deadpkg")
	if code != 3 {
		t.Errorf("gridlock test -profile exit = %d, want 3\n%s\n%s", code, stdout, stderr)
	}
	if data, err := os.ReadFile(prof); err != nil || len(data) == 0 {
		t.Errorf("gridlock test -profile wrote no profile (%v); stderr:\n%s", err, stderr)
	} else if _, err := profile.ParseData(data); err != nil {
		t.Errorf("merged profile does not parse: %v", err)
	}
	after := snapshot(t, dir)
	if len(after) != len(before) {
		t.Errorf("gridlock test changed the set of files of the module: %d files before, %d after", len(before), len(after))
	}
	for p, c := range before {
		if after[p] != c {
			t.Errorf("gridlock test changed %s", p)
		}
	}
}

// TestOverlayCache runs gridlock test twice: the second run reuses the
// instrumented sources.
func TestOverlayCache(t *testing.T) {
	dir := e2eModule(t)
	t.Setenv("GOCACHE", goEnv(t, "GOCACHE"))
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("GRIDLOCK_DEBUG_OVERLAY", "1")
	for i, want := range []string{"cached: false", "cached: true"} {
		code, stdout, stderr := runIn(t, dir, "test", "./okpkg")
		if code != 0 {
			t.Fatalf("run %d: exit %d\n%s\n%s", i, code, stdout, stderr)
		}
		if !strings.Contains(stderr, want) {
			t.Errorf("run %d: stderr lacks %q:\n%s", i, want, stderr)
		}
	}
}

// TestOldGoLine runs the tests of a go 1.16 module: requiring gridlock
// raises its go line to gridlock's, but its files keep compiling and being
// vetted as go1.21 at the newest (the oldest a //go:build line can set):
// loop variables shared by the iterations, no vet error for a non-constant
// format string (go1.24), and lines numbered as in the files.
func TestOldGoLine(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: runs go test")
	}
	dir := writeModule(t, t.TempDir(), map[string]string{
		"go.mod": "module example.com/old\n\ngo 1.16\n",
		"old_test.go": `// A file with no build constraint.

package old

import (
	"fmt"
	"testing"
)

func TestLoopVar(t *testing.T) {
	var fs []func() int
	for i := 0; i < 3; i++ {
		fs = append(fs, func() int { return i })
	}
	if got := fs[0](); got != 3 {
		t.Errorf("fs[0]() = %d, want 3 (one loop variable before go1.22)", got)
	}
	t.Errorf(fmt.Sprint("logged at line 18"))
}
`,
		"plus_test.go": "// +build !plan9\n\npackage old\n\nimport \"testing\"\n\nfunc TestPlus(t *testing.T) { t.Log(\"line 7\") }\n",
		// GODEBUG defaults follow the go line: before go1.24 rand.Seed
		// seeds the global source (randseednop=0).
		"seed_test.go": `package old

import (
	"math/rand"
	"testing"
)

func TestSeed(t *testing.T) {
	rand.Seed(1)
	a := rand.Int63()
	rand.Seed(1)
	if b := rand.Int63(); a != b {
		t.Errorf("rand.Seed(1) twice gave %d, then %d: the GODEBUG defaults are not go 1.16's", a, b)
	}
}
`,
	})
	code, stdout, stderr := runIn(t, dir, "test", "-cache=false", "./...", "--", "-v")
	for _, w := range []string{"--- PASS: TestPlus", "plus_test.go:7: line 7", "--- FAIL: TestLoopVar", "old_test.go:18: logged at line 18", "--- PASS: TestSeed"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("gridlock test stdout lacks %q:\n%s\nstderr:\n%s", w, stdout, stderr)
		}
	}
	if strings.Contains(stdout, "want 3") || code != 1 {
		t.Errorf("gridlock test exit = %d, want 1 (only the deliberate failure)\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// TestWaitGroupTasks: a Wait made while holding the mutex its workers need,
// the workers started with "wg.Add(1); go func() { defer wg.Done() ... }()"
// (not WaitGroup.Go). gridlock test marks such goroutines as the
// WaitGroup's tasks, so the hang is a deadlock found in about a second, not
// a blocked-wait after the wait timeout (an hour here); its twin unlocks
// first and is silent.
func TestWaitGroupTasks(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: runs go test")
	}
	dir := writeModule(t, t.TempDir(), map[string]string{
		"go.mod": "module example.com/wgtasks\n\ngo 1.24\n",
		"flush.go": `package wgtasks

import "sync"

type Store struct {
	mu      sync.Mutex
	pending []int
	saved   int
}

func (s *Store) save(v int) { s.mu.Lock(); s.saved += v; s.mu.Unlock() }

// Flush saves the pending values in parallel.
func (s *Store) Flush(fixed bool) int {
	s.mu.Lock()
	work := s.pending
	s.pending = nil
	if fixed {
		s.mu.Unlock()
	}
	var wg sync.WaitGroup
	for _, v := range work {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.save(v)
		}()
	}
	wg.Wait()
	if !fixed {
		s.mu.Unlock()
	}
	return s.saved
}
`,
		"flush_test.go": `package wgtasks

import "testing"

func TestBug(t *testing.T) {
	s := &Store{pending: []int{1, 2, 3}}
	s.Flush(false)
}

func TestFixed(t *testing.T) {
	s := &Store{pending: []int{1, 2, 3}}
	if got := s.Flush(true); got != 6 {
		t.Errorf("Flush = %d, want 6", got)
	}
}
`,
	})
	start := time.Now()
	code, stdout, stderr := runIn(t, dir, "test", "-cache=false", "-wait-timeout=1h", ".", "--", "-run=TestBug$", "-timeout=30s")
	if code != 3 || !strings.Contains(stdout+stderr, "gridlock: deadlock") || !strings.Contains(stdout+stderr, "wgtasks.(*Store).Flush") {
		t.Errorf("gridlock test -run TestBug exit = %d, want 3 with a deadlock naming Store.Flush (after %s)\nstdout:\n%s\nstderr:\n%s", code, time.Since(start), stdout, stderr)
	}
	code, stdout, stderr = runIn(t, dir, "test", "-cache=false", ".", "--", "-run=TestFixed$")
	if code != 0 {
		t.Errorf("gridlock test -run TestFixed exit = %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// TestWaitGroupNotTasks: correct code in which a goroutine calls Done on
// some paths only (a phase barrier whose coordinator waits instead, a
// dispatcher loop that calls Done for its inline jobs and hands Done on to
// the others): such functions are no tasks of the WaitGroup, and waiting
// for a slow job is no deadlock (both were reported before a review).
func TestWaitGroupNotTasks(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: runs go test")
	}
	dir := writeModule(t, t.TempDir(), map[string]string{
		"go.mod": "module example.com/nottasks\n\ngo 1.24\n",
		"x.go": `package nottasks

import (
	"sync"
	"time"
)

type Phase struct{ wg sync.WaitGroup }

func (p *Phase) Arrive(coordinator bool) {
	if !coordinator {
		p.wg.Done()
		return
	}
	p.wg.Wait()
}

func RunPhase(durations []time.Duration) {
	var p Phase
	p.wg.Add(len(durations))
	for _, d := range durations {
		go func() {
			time.Sleep(d)
			p.Arrive(false)
		}()
	}
	p.Arrive(true)
}

type Job struct {
	Inline bool
	Run    func(done func())
}

type Dispatcher struct {
	inflight sync.WaitGroup
	jobs     chan Job
}

func NewDispatcher() *Dispatcher {
	d := &Dispatcher{jobs: make(chan Job)}
	go d.loop()
	return d
}

func (d *Dispatcher) loop() {
	for j := range d.jobs {
		if j.Inline {
			j.Run(func() {})
			d.inflight.Done()
			continue
		}
		go j.Run(d.inflight.Done)
	}
}

func (d *Dispatcher) Submit(j Job) { d.inflight.Add(1); d.jobs <- j }
func (d *Dispatcher) Flush()       { d.inflight.Wait() }
func (d *Dispatcher) Close()       { close(d.jobs) }
`,
		"x_test.go": `package nottasks

import (
	"testing"
	"time"
)

func TestPhase(t *testing.T) { RunPhase([]time.Duration{time.Millisecond, 400 * time.Millisecond}) }

func TestDispatcher(t *testing.T) {
	d := NewDispatcher()
	defer d.Close()
	d.Submit(Job{Inline: true, Run: func(done func()) {}})
	d.Submit(Job{Run: func(done func()) { time.Sleep(1500 * time.Millisecond); done() }})
	d.Flush()
}
`,
	})
	code, stdout, stderr := runIn(t, dir, "test", "-cache=false", ".")
	if code != 0 {
		t.Errorf("gridlock test exit = %d, want 0 (no report)\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// TestCompileErrorPositions: the compiler's messages about instrumented
// files name the files and their lines and columns, not the overlay's
// copies: a rewritten file, and in a go 1.16 module a file pinned to its
// version in its //go:build line.
func TestCompileErrorPositions(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: runs go test")
	}
	for _, goLine := range []string{"1.26", "1.16"} {
		dir := writeModule(t, t.TempDir(), map[string]string{
			"go.mod": "module example.com/pos\n\ngo " + goLine + "\n",
			"a.go":   "//go:build !plan9\n\npackage pos\n\nimport \"sync\"\n\nvar mu sync.Mutex\n\nvar x int = \"s\"\n",
		})
		_, stdout, stderr := runIn(t, dir, "test", "-cache=false", ".")
		if out := stdout + stderr; !strings.Contains(out, "./a.go:9:13: cannot use") || strings.Contains(out, "overlay") {
			t.Errorf("go %s: gridlock test output lacks ./a.go:9:13 or names the overlay:\n%s", goLine, out)
		}
	}
}

// TestSyncLayoutKept: a package whose code depends on the size of a struct
// holding a sync.Mutex (cache-line padding from unsafe.Sizeof, and an
// offset computed from it) keeps sync's types under gridlock test, with a
// warning naming where; it compiled to a negative array length before. The
// module's other packages are still switched to detect. The xtest of the
// padded package takes the size of its struct, which pins the package too.
func TestSyncLayoutKept(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: runs go test")
	}
	dir := writeModule(t, t.TempDir(), map[string]string{
		"go.mod": "module example.com/layout\n\ngo 1.24\n",
		"pad/pad.go": `package pad

import (
	"sync"
	"unsafe"
)

type bucket struct {
	mu sync.Mutex
	n  [7]uint64
}

// Padded is one cache line.
type Padded struct {
	_ [64 - unsafe.Sizeof(bucket{})]byte
	bucket
}

// Second returns the second of two buckets from the first's address.
func Second(b *[2]Padded) *Padded {
	return (*Padded)(unsafe.Add(unsafe.Pointer(&b[0]), unsafe.Sizeof(Padded{})))
}

func (p *Padded) Add(v uint64) {
	p.mu.Lock()
	p.n[0] += v
	p.mu.Unlock()
}
`,
		"pad/pad_test.go": `package pad_test

import (
	"testing"
	"unsafe"

	"example.com/layout/pad"
)

func TestPadded(t *testing.T) {
	if s := unsafe.Sizeof(pad.Padded{}); s != 64 {
		t.Errorf("unsafe.Sizeof(Padded{}) = %d, want 64", s)
	}
	var b [2]pad.Padded
	if got := pad.Second(&b); got != &b[1] {
		t.Errorf("Second(&b) = %p, want &b[1] = %p", got, &b[1])
	}
	b[1].Add(1)
}
`,
		"other/other.go": `package other

import "sync"

var Mu sync.Mutex
`,
		"other/other_test.go": `package other

import (
	"fmt"
	"testing"
)

func TestSwitched(t *testing.T) {
	if got := fmt.Sprintf("%T", Mu); got != "detect.Mutex" {
		t.Errorf("%%T of a sync.Mutex = %s under gridlock test, want detect.Mutex", got)
	}
}
`,
	})
	wantKept(t, dir, "TestPadded", "example.com/layout/pad: sync's lock types left untracked: an array length relies on their size, and gridlock's are bigger ("+filepath.Join(dir, "pad", "pad.go")+":15:10: unsafe.Sizeof(bucket{}))", "example.com/layout/other")
}

// wantKept runs gridlock test -v in dir and checks that it passes with no
// report, that test passed, that the note is printed and that package
// other (whose test checks that its sync.Mutex is detect's) is not named.
func wantKept(t *testing.T, dir, test, note, other string) {
	t.Helper()
	code, stdout, stderr := runIn(t, dir, "test", "-cache=false", "./...", "--", "-v")
	for _, w := range []string{"--- PASS: " + test, "--- PASS: TestSwitched"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("gridlock test stdout lacks %q:\n%s\nstderr:\n%s", w, stdout, stderr)
		}
	}
	if !strings.Contains(stderr, note) {
		t.Errorf("gridlock test stderr lacks %q:\n%s", note, stderr)
	}
	if strings.Contains(stderr, other+":") {
		t.Errorf("gridlock test warns about package %s, whose types are switched:\n%s", other, stderr)
	}
	if code != 0 {
		t.Errorf("gridlock test exit = %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// TestSyncOfDependencyKept: a package that hands its locks to a dependency
// gridlock test does not instrument (a function taking *sync.WaitGroup, a
// field's address) keeps sync's types, with a note, instead of failing to
// compile; the module's other packages are still switched.
func TestSyncOfDependencyKept(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: runs go test")
	}
	root := t.TempDir()
	writeModule(t, filepath.Join(root, "dep"), map[string]string{
		"go.mod": "module example.com/dep\n\ngo 1.24\n",
		"dep.go": `package dep

import "sync"

func Wait(wg *sync.WaitGroup) { wg.Wait() }

type Locked struct {
	Mu sync.Mutex
	N  int
}
`,
	})
	dir := writeModule(t, filepath.Join(root, "main"), map[string]string{
		"go.mod": "module example.com/main\n\ngo 1.24\n\nrequire example.com/dep v0.0.0\n\nreplace example.com/dep => ../dep\n",
		"a/a_test.go": `package a

import (
	"sync"
	"testing"

	"example.com/dep"
)

func TestDep(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done() }()
	dep.Wait(&wg)
	var l dep.Locked
	var p *sync.Mutex = &l.Mu
	p.Lock()
	l.N++
	p.Unlock()
}
`,
		"other/other_test.go": `package other

import (
	"fmt"
	"sync"
	"testing"

	"example.com/dep"
)

func TestSwitched(t *testing.T) {
	var mu sync.Mutex
	var l dep.Locked
	l.Mu.Lock()
	l.Mu.Unlock()
	if got := fmt.Sprintf("%T", mu); got != "detect.Mutex" {
		t.Errorf("%%T of a sync.Mutex = %s under gridlock test, want detect.Mutex", got)
	}
}
`,
	})
	wantKept(t, dir, "TestDep", "example.com/main/a: sync's lock types left untracked: it uses dep.Wait (func(wg *sync.WaitGroup)), and example.com/dep keeps sync's types ("+filepath.Join(dir, "a", "a_test.go")+":14:6)", "example.com/main/other")
}

// TestOldGoTimerWait: a go 1.19 module keeps its GODEBUG defaults, but its
// timer channels are Go 1.23's (asynctimerchan=0), so that a select with a
// time.After case is still known as a wait for a time, not a blocked-wait
// once it has lasted -wait-timeout.
func TestOldGoTimerWait(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: runs go test")
	}
	dir := writeModule(t, t.TempDir(), map[string]string{
		"go.mod": "module example.com/oldtimer\n\ngo 1.19\n",
		"d_test.go": `package d

import (
	"testing"
	"time"
)

func TestPoll(t *testing.T) {
	done := make(chan struct{})
	go func() { time.Sleep(1500 * time.Millisecond); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
	}
}
`,
	})
	code, stdout, stderr := runIn(t, dir, "test", "-cache=false", "-wait-timeout", "500ms", "./...")
	if code != 0 || strings.Contains(stdout+stderr, "blocked-wait") {
		t.Errorf("gridlock test exit = %d, want 0 and no blocked-wait\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// TestRuntimeDependencyModule: the module under test is one gridlock's own
// runtime imports (go.uber.org/multierr, through zap): its packages are
// left uninstrumented, with a note, instead of an import cycle.
func TestRuntimeDependencyModule(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: runs go test")
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "go.uber.org/multierr").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" {
		t.Skipf("go.uber.org/multierr is not in the module cache: %v", err)
	}
	src := strings.TrimSpace(string(out))
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	if err := filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err == nil {
			err = os.Chmod(p, 0o755) // the module cache's files are read-only
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runIn(t, dir, "test", "-cache=false", ".")
	if code != 0 || !strings.Contains(stderr, "package go.uber.org/multierr left uninstrumented: gridlock's own runtime imports it") {
		t.Errorf("gridlock test exit = %d, want 0 with a note\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// TestRecoveredSendIsSilent: a function that recovers panics and sends or
// closes on a channel that may be closed ("send unless closed", goleveldb's
// cRange.ack) is not reported; the same send in a function whose caller
// recovers is (the examples' sendonclosed).
func TestRecoveredSendIsSilent(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: runs go test")
	}
	dir := writeModule(t, t.TempDir(), map[string]string{
		"go.mod": "module example.com/recovered\n\ngo 1.24\n",
		"r.go": `package recovered

func ack(ch chan error, err error) {
	defer func() { _ = recover() }()
	ch <- err
}

func offer(ch chan error, err error) (sent bool) {
	defer func() {
		if recover() != nil {
			sent = false
		}
	}()
	select {
	case ch <- err:
		return true
	default:
		return false
	}
}

func closeOnce(ch chan struct{}) {
	defer func() { recover() }()
	close(ch)
}

func send(ch chan error) { ch <- nil }

func sendGuarded(ch chan error) {
	defer func() { recover() }()
	send(ch) // the panic is recovered here, but the send is not in this function
}
`,
		"r_test.go": `package recovered

import "testing"

func TestRecovered(t *testing.T) {
	ch := make(chan error, 1)
	close(ch)
	ack(ch, nil)
	offer(ch, nil)
	done := make(chan struct{})
	closeOnce(done)
	closeOnce(done)
}

func TestCallerRecovers(t *testing.T) {
	ch := make(chan error, 1)
	close(ch)
	sendGuarded(ch)
}
`,
	})
	code, stdout, stderr := runIn(t, dir, "test", "-cache=false", "./...", "--", "-run", "TestRecovered")
	if code != 0 {
		t.Errorf("gridlock test -run TestRecovered exit = %d, want 0 (no report)\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	code, stdout, stderr = runIn(t, dir, "test", "-cache=false", "./...", "--", "-run", "TestCallerRecovers")
	if code != 3 || !strings.Contains(stdout+stderr, "gridlock: send-on-closed") {
		t.Errorf("gridlock test -run TestCallerRecovers exit = %d, want 3 with a send-on-closed\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// TestLeakNamesExitedTest: a test (and a subtest) calls a helper that
// starts a goroutine which blocks for good, and returns; the leak is found
// at the end of the test binary, when the test's goroutine has exited. The
// rewritten test functions note which goroutine runs which test, so the
// reports still name the tests. Their fixed twins pass without reports.
func TestLeakNamesExitedTest(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: runs go test")
	}
	dir := writeModule(t, t.TempDir(), map[string]string{
		"go.mod": "module example.com/leakname\n\ngo 1.24\n",
		"leak_test.go": `package leakname

import "testing"

func start(leak bool) chan int {
	ch := make(chan int)
	go func() { ch <- 1 }()
	if !leak {
		<-ch
	}
	return ch
}

func TestLeakViaHelper(t *testing.T) { start(true) }

// startRecv is start's receiving twin: its leak is another report.
func startRecv(leak bool) chan int {
	ch := make(chan int)
	go func() { <-ch }()
	if !leak {
		ch <- 1
	}
	return ch
}

func TestSub(t *testing.T) {
	t.Run("inner", func(t *testing.T) { startRecv(true) })
}

func TestFixedViaHelper(t *testing.T) { start(false) }

func TestFixedSub(t *testing.T) {
	t.Run("inner", func(t *testing.T) { startRecv(false) })
}

// harness has a Run of its own, which passes no test: its literal is not
// a subtest's.
type harness struct{}

func (harness) Run(name string, f func(*testing.T)) { f(nil) }

func TestFixedHarness(t *testing.T) {
	var h harness
	h.Run("x", func(t *testing.T) { _ = t == nil })
}
`,
	})
	code, stdout, stderr := runIn(t, dir, "test", "-cache=false", ".", "--", "-run=^(TestLeakViaHelper|TestSub)$")
	for _, want := range []string{"gridlock: leaked-wait", "test: TestLeakViaHelper (", "test: TestSub/inner ("} {
		if !strings.Contains(stdout+stderr, want) {
			t.Errorf("gridlock test -run TestLeakViaHelper|TestSub: output lacks %q\nstdout:\n%s\nstderr:\n%s", want, stdout, stderr)
		}
	}
	if code != 3 {
		t.Errorf("gridlock test -run TestLeakViaHelper|TestSub exit = %d, want 3", code)
	}
	code, stdout, stderr = runIn(t, dir, "test", "-cache=false", ".", "--", "-run=^TestFixed")
	if code != 0 || !strings.Contains(stdout, "0 reports") {
		t.Errorf("gridlock test -run TestFixed exit = %d, want 0 with 0 reports\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}
