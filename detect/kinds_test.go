//go:build !gridlock_off

package detect_test

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridlock-go/gridlock/detect"
)

//go:noinline
func lockChain(ms ...*detect.Mutex) {
	for _, m := range ms {
		m.Lock()
	}
	for i := len(ms) - 1; i >= 0; i-- {
		ms[i].Unlock()
	}
}

func TestLockOrderCycleOfThree(t *testing.T) {
	reports := start(t)
	var a, b, c detect.Mutex
	done := make(chan bool)
	base := runtime.NumGoroutine()
	go func() { lockChain(&a, &b); done <- true }()
	<-done
	awaitGoroutines(t, base)
	go func() { lockChain(&b, &c); done <- true }()
	<-done
	awaitGoroutines(t, base)
	go func() { lockChain(&c, &a); done <- true }()
	<-done
	r := onlyKind(t, reports(), detect.KindLockOrderCycle)
	if len(r.Edges) != 3 {
		t.Fatalf("edges = %d, want 3", len(r.Edges))
	}
	gs := map[int64]bool{}
	for _, e := range r.Edges {
		gs[e.Goroutine] = true
		if !names(e.ToStack, "lockChain") || !names(e.FromStack, "lockChain") {
			t.Errorf("edge %s -> %s stacks do not name lockChain: %v / %v", e.From, e.To, e.FromStack, e.ToStack)
		}
	}
	if len(gs) != 3 {
		t.Errorf("edges come from %d goroutines, want 3", len(gs))
	}
	if len(r.Goroutines) != 3 {
		t.Fatalf("goroutines = %d, want the 3 of the edges", len(r.Goroutines))
	}
	exited := 0
	for _, g := range r.Goroutines {
		if !gs[g.ID] || g.State != "exited" && !strings.HasPrefix(g.State, "running") {
			t.Errorf("goroutine %d [%s], want a goroutine of an edge, exited or running", g.ID, g.State)
		}
		if g.State == "exited" {
			exited++
		}
	}
	if exited < 2 {
		t.Errorf("%d goroutines exited, want the 2 that finished before the cycle closed", exited)
	}
}

// awaitGoroutines waits until the goroutines started since base have
// returned: a goroutine that has sent on a channel has not exited yet.
func awaitGoroutines(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			t.Fatalf("runtime.NumGoroutine() = %d, want %d", runtime.NumGoroutine(), base)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestLockOrderOfThreeConsistentIsSilent(t *testing.T) {
	reports := start(t)
	var a, b, c detect.Mutex
	lockChain(&a, &b)
	lockChain(&b, &c)
	lockChain(&a, &c)
	lockChain(&a, &b, &c)
	if r := reports(); len(r) != 0 {
		t.Fatalf("reports = %v, want none", kinds(r))
	}
}

//go:noinline
func relockRead(rw *detect.RWMutex) {
	rw.RLock()
	rw.RLock()
	rw.RUnlock()
	rw.RUnlock()
}

//go:noinline
func readOnce(rw *detect.RWMutex) {
	rw.RLock()
	rw.RUnlock()
	rw.RLock()
	rw.RUnlock()
}

func TestRecursiveRLock(t *testing.T) {
	reports := start(t)
	var rw detect.RWMutex
	relockRead(&rw)
	r := onlyKind(t, reports(), detect.KindRecursiveRLock)
	if len(r.Goroutines) != 1 || !names(r.Goroutines[0].Stack, "relockRead") || !names(r.Goroutines[0].Holds[0].Stack, "relockRead") {
		t.Errorf("report does not name relockRead: %+v", r.Goroutines)
	}
}

// TestRepeatedReportIsCounted: a loop repeating one misuse makes one
// report counted as many times, not a queue full of copies that pushes
// other reports out (reports-dropped).
func TestRepeatedReportIsCounted(t *testing.T) {
	reports := start(t)
	var rw detect.RWMutex
	const n = 2000
	for range n {
		relockRead(&rw)
	}
	r := onlyKind(t, reports(), detect.KindRecursiveRLock)
	if r.Count != n || !names(r.Goroutines[0].Holds[0].Stack, "relockRead") {
		t.Errorf("report count %d at %v, want %d at relockRead", r.Count, r.Goroutines[0].Holds[0].Stack, n)
	}
}

func TestRLockSequentialIsSilent(t *testing.T) {
	reports := start(t)
	var rw detect.RWMutex
	readOnce(&rw)
	if r := reports(); len(r) != 0 {
		t.Fatalf("reports = %v, want none", kinds(r))
	}
}

//go:noinline
func lockTwice(m *detect.Mutex) {
	m.Lock()
	m.Lock() // blocks forever
}

func TestDoubleLock(t *testing.T) {
	reports := start(t)
	var m detect.Mutex
	go lockTwice(&m)
	var reps []detect.Report
	for deadline := time.Now().Add(5 * time.Second); len(reps) == 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
		reps = reports()
	}
	r := onlyKind(t, reps, detect.KindDoubleLock)
	if !names(r.Goroutines[0].Stack, "lockTwice") {
		t.Errorf("stack = %v, want lockTwice", r.Goroutines[0].Stack)
	}
	if !strings.Contains(r.Summary, "block forever") {
		t.Errorf("summary = %q", r.Summary)
	}
	m.Unlock() // let the goroutine go
}

//go:noinline
func unlockElsewhere(m *detect.Mutex) {
	m.Lock()
	done := make(chan bool)
	go func() { m.Unlock(); done <- true }()
	<-done
	m.Lock()
	m.Unlock()
}

func TestUnlockByAnotherGoroutineIsSilent(t *testing.T) {
	reports := start(t)
	var m, n detect.Mutex
	unlockElsewhere(&m)
	lockChain(&n, &m)
	var rw detect.RWMutex
	rw.RLock()
	done := make(chan bool)
	go func() { rw.RUnlock(); done <- true }()
	<-done
	rw.Lock()
	rw.Unlock()
	if r := reports(); len(r) != 0 {
		t.Fatalf("reports = %v, want none", kinds(r))
	}
}

func TestTryLockAddsNoEdgeInto(t *testing.T) {
	reports := start(t)
	var a, b detect.Mutex
	a.Lock()
	if !b.TryLock() {
		t.Fatal("TryLock failed")
	}
	b.Unlock()
	a.Unlock()
	lockBA(&a, &b) // b then a: fine, a->b was never an edge
	if r := reports(); len(r) != 0 {
		t.Fatalf("reports = %v, want none", kinds(r))
	}
	// But edges out of a TryLocked lock count.
	if !b.TryLock() {
		t.Fatal("TryLock failed")
	}
	a.Lock()
	a.Unlock()
	b.Unlock()
	lockAB(&a, &b)
	onlyKind(t, reports(), detect.KindLockOrderCycle)
}

// config is lazily loaded with a Once whose load, through get, enters the
// same Once again (a real pattern: lazy initialisation that re-enters
// itself).
type config struct {
	once   detect.Once
	values map[string]string
	fixed  bool
}

//go:noinline
func (c *config) get(k string) string {
	c.once.Do(c.load)
	return c.values[k]
}

//go:noinline
func (c *config) load() {
	c.values = map[string]string{"a": "1"}
	if !c.fixed {
		_ = c.get("a") // Do inside the first Do: blocks forever
	}
}

func TestOnceReentered(t *testing.T) {
	reports := start(t)
	c := &config{}
	go c.get("a") // blocks forever in the inner Do (leaked with the test)
	r := waitFor(t, reports, detect.KindDoubleLock)
	if !strings.Contains(r.Summary, "calls Do on Once#") {
		t.Errorf("summary = %q, want a Do on a Once", r.Summary)
	}
	g := r.Goroutines[0]
	if !names(g.Stack, "(*config).load", "(*config).get") || len(g.Holds) != 1 || !names(g.Holds[0].Stack, "(*config).get") {
		t.Errorf("goroutine %+v, want its stack through load and get, holding the Once from get", g)
	}
}

func TestOnceFixedIsSilent(t *testing.T) {
	reports := start(t)
	c := &config{fixed: true}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if v := c.get("a"); v != "1" {
				t.Errorf(`get("a") = %q, want "1"`, v)
			}
		})
	}
	wg.Wait()
	if r := reports(); len(r) != 0 {
		t.Fatalf("reports = %v, want none", kinds(r))
	}
}

// TestOnceValueReentered: OnceValue's function calling itself is the same
// bug.
func TestOnceValueReentered(t *testing.T) {
	reports := start(t)
	var get func() int
	get = detect.OnceValue(func() int { return get() + 1 })
	go get()
	r := waitFor(t, reports, detect.KindDoubleLock)
	if !names(r.Goroutines[0].Stack, "TestOnceValueReentered.func1") {
		t.Errorf("stack %v, want the test's function", r.Goroutines[0].Stack)
	}
}

// TestOnceFuncsKeepSyncSemantics is the twin of TestOnceValueReentered:
// OnceFunc, OnceValue and OnceValues called concurrently run f once, give
// its values, re-panic its panic on every call, and report nothing.
func TestOnceFuncsKeepSyncSemantics(t *testing.T) {
	reports := start(t)
	var calls atomic.Int32
	f := detect.OnceFunc(func() { calls.Add(1) })
	v := detect.OnceValue(func() int { calls.Add(1); return 7 })
	vs := detect.OnceValues(func() (int, string) { calls.Add(1); return 8, "x" })
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			f()
			if got := v(); got != 7 {
				t.Errorf("OnceValue() = %d, want 7", got)
			}
			if a, b := vs(); a != 8 || b != "x" {
				t.Errorf("OnceValues() = %d, %q, want 8, x", a, b)
			}
		})
	}
	wg.Wait()
	if n := calls.Load(); n != 3 {
		t.Errorf("functions called %d times, want 3 (once each)", n)
	}
	boom := detect.OnceFunc(func() { panic("boom") })
	for i := range 2 {
		func() {
			defer func() {
				if r := recover(); r != "boom" {
					t.Errorf("call %d of a panicking OnceFunc recovered %v, want boom", i, r)
				}
			}()
			boom()
		}()
	}
	if r := reports(); len(r) != 0 {
		t.Fatalf("reports = %v, want none", kinds(r))
	}
}
