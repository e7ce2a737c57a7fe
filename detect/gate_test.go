//go:build !gridlock_off

package detect_test

import (
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gridlock-go/gridlock/detect"
)

// A gate lock: every path that takes a and b in either order holds g first,
// so the inversion cannot deadlock (two goroutines cannot both hold g).

//go:noinline
func gatedAB(g, a, b *detect.Mutex) {
	g.Lock()
	lockAB(a, b)
	g.Unlock()
}

//go:noinline
func gatedBA(g, a, b *detect.Mutex) {
	g.Lock()
	lockBA(a, b)
	g.Unlock()
}

// TestGateLockIsSilent is TestLockOrderCycleAB's inversion under a gate.
func TestGateLockIsSilent(t *testing.T) {
	reports := start(t)
	var g, a, b detect.Mutex
	for range 3 { // the gated edges stay out of the per-lock cache: seen again, still gated
		gatedAB(&g, &a, &b)
		gatedBA(&g, &a, &b)
	}
	if r := reports(); len(r) != 0 {
		t.Fatalf("reports = %v, want none: g gates both orders", kinds(r))
	}
}

// TestGateLockThreeIsSilent: a cycle of three under one gate.
func TestGateLockThreeIsSilent(t *testing.T) {
	reports := start(t)
	var g, a, b, c detect.Mutex
	for _, pair := range [][2]*detect.Mutex{{&a, &b}, {&b, &c}, {&c, &a}} {
		gatedAB(&g, pair[0], pair[1])
	}
	if r := reports(); len(r) != 0 {
		t.Fatalf("reports = %v, want none: g gates the cycle", kinds(r))
	}
}

// TestGateReadLockIsNoGate: readers hold a lock together, so a lock held
// for reading gates nothing, in both orders or in one.
func TestGateReadLockIsNoGate(t *testing.T) {
	tests := []struct {
		name      string
		giveFirst func(g *detect.RWMutex) func() // locks g, returns its unlock
	}{
		{"read, read", func(g *detect.RWMutex) func() { g.RLock(); return g.RUnlock }},
		{"write, read", func(g *detect.RWMutex) func() { g.Lock(); return g.Unlock }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reports := start(t)
			var g detect.RWMutex
			var a, b detect.Mutex
			unlock := tt.giveFirst(&g)
			lockAB(&a, &b)
			unlock()
			g.RLock()
			lockBA(&a, &b)
			g.RUnlock()
			onlyKind(t, reports(), detect.KindLockOrderCycle)
		})
	}
}

// TestGateDroppedReports: a gated inversion becomes a potential deadlock
// once one of its orders is taken without the gate; the report then names
// both orders' stacks.
func TestGateDroppedReports(t *testing.T) {
	tests := []struct {
		name string
		give func(g, a, b *detect.Mutex) // after gatedAB and gatedBA
	}{
		{"first edge ungated", func(g, a, b *detect.Mutex) { lockAB(a, b) }},
		{"closing edge ungated", func(g, a, b *detect.Mutex) { lockBA(a, b) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reports := start(t)
			var g, a, b detect.Mutex
			gatedAB(&g, &a, &b)
			gatedBA(&g, &a, &b)
			if r := reports(); len(r) != 0 {
				t.Fatalf("reports before the gate was dropped = %v, want none", kinds(r))
			}
			tt.give(&g, &a, &b)
			r := onlyKind(t, reports(), detect.KindLockOrderCycle)
			if len(r.Edges) != 2 {
				t.Fatalf("edges = %d, want 2", len(r.Edges))
			}
			var to []string
			for _, e := range r.Edges {
				to = append(to, e.ToStack.Top().Function)
			}
			if !(strings.HasSuffix(to[0], "lockAB") && strings.HasSuffix(to[1], "lockBA") ||
				strings.HasSuffix(to[0], "lockBA") && strings.HasSuffix(to[1], "lockAB")) {
				t.Errorf("edge frames = %v, want lockAB and lockBA", to)
			}
		})
	}
}

// Cases found by a review of the first version.

// lockNested takes the locks in order, each while holding the ones before,
// and releases them.
func lockNested(ms ...*detect.Mutex) {
	for _, m := range ms {
		m.Lock()
	}
	for _, m := range slices.Backward(ms) {
		m.Unlock()
	}
}

//go:noinline
func plainAB(a, b *detect.Mutex) { lockAB(a, b) }

// TestGateLateReportStacks: a cycle reported when an edge loses its gate
// shows that ungated sighting's stacks.
func TestGateLateReportStacks(t *testing.T) {
	reports := start(t)
	var g, a, b detect.Mutex
	gatedAB(&g, &a, &b)
	gatedBA(&g, &a, &b)
	plainAB(&a, &b)
	r := onlyKind(t, reports(), detect.KindLockOrderCycle)
	found := false
	for _, e := range r.Edges {
		if names(e.ToStack, "plainAB") {
			found = true
		}
	}
	if !found {
		t.Errorf("no edge names plainAB, the ungated order that makes the deadlock possible")
	}
}

// TestGateGatedCleanup: the gated cycles of short-lived locks go with them.
func TestGateGatedCleanup(t *testing.T) {
	d := startDetector(t)
	var g detect.Mutex
	for i := 0; i < 2000; i++ {
		a, b := new(detect.Mutex), new(detect.Mutex)
		g.Lock()
		a.Lock()
		a.Unlock()
		b.Lock()
		b.Unlock()
		g.Unlock() // g->a, g->b ungated
		gatedAB(&g, a, b)
		gatedBA(&g, a, b)
	}
	// Cleanups run after a collection, in their own time (slowly under
	// -race): wait for them, with a bound.
	n, e := d.GatedLen()
	for deadline := time.Now().Add(20 * time.Second); (n > 100 || e > 100) && time.Now().Before(deadline); n, e = d.GatedLen() {
		runtime.GC()
		time.Sleep(20 * time.Millisecond)
	}
	if n > 100 || e > 100 {
		t.Errorf("GatedLen() = %d, %d after the locks were collected, want both near 0", n, e)
	}
}

// TestGateReported: orders that two or three goroutines can take at once
// without a common gate are reported as one lock-order cycle or more.
func TestGateReported(t *testing.T) {
	tests := []struct {
		name string
		give func(g, a, b, c *detect.Mutex)
	}{
		{"first seen ungated, then gated", func(g, a, b, c *detect.Mutex) {
			lockAB(a, b)
			gatedAB(g, a, b)
			gatedBA(g, a, b)
		}},
		{"a different gate for each order", func(g, a, b, c *detect.Mutex) {
			var g2 detect.Mutex
			gatedAB(g, a, b)
			gatedBA(&g2, a, b)
		}},
		{"a gated three-cycle, one edge later ungated", func(g, a, b, c *detect.Mutex) {
			gatedAB(g, a, b)
			gatedAB(g, b, c)
			gatedAB(g, c, a)
			lockAB(b, c)
		}},
		// b->a under g closes only a gated cycle, but a later ungated path
		// a->c->b closes one with it: g,b,a / a,c / c,b can deadlock.
		{"a later ungated path back", func(g, a, b, c *detect.Mutex) {
			gatedAB(g, a, b)
			gatedBA(g, a, b)
			lockAB(a, c)
			lockAB(c, b)
		}},
		{"the same without the gate", func(g, a, b, c *detect.Mutex) {
			lockBA(a, b)
			lockAB(a, c)
			lockAB(c, b)
		}},
		// a,g,b against b,g,a: the inversion of a and g is not gated.
		{"the gate taken after the first lock", func(g, a, b, c *detect.Mutex) {
			lockNested(a, g, b)
			lockNested(b, g, a)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reports := start(t)
			var g, a, b, c detect.Mutex
			tt.give(&g, &a, &b, &c)
			r := reports()
			if len(r) == 0 {
				t.Fatal("no report, want a lock-order-cycle")
			}
			for _, rep := range r {
				if rep.Kind != detect.KindLockOrderCycle {
					t.Errorf("report kind %s, want only %s", rep.Kind, detect.KindLockOrderCycle)
				}
			}
		})
	}
}

// TestGateVariantsAreSilent: other ways of holding one common gate.
func TestGateVariantsAreSilent(t *testing.T) {
	tests := []struct {
		name string
		give func(t *testing.T, a, b *detect.Mutex)
	}{
		{"several gates, one common", func(t *testing.T, a, b *detect.Mutex) {
			var g1, g2, g3 detect.Mutex
			g1.Lock()
			gatedAB(&g2, a, b)
			g1.Unlock()
			g3.Lock()
			gatedBA(&g2, a, b)
			g3.Unlock()
		}},
		{"gate taken by TryLock", func(t *testing.T, a, b *detect.Mutex) {
			var g detect.Mutex
			for _, lock := range []func(a, b *detect.Mutex){lockAB, lockBA} {
				if !g.TryLock() {
					t.Fatal("TryLock of a free mutex failed")
				}
				lock(a, b)
				g.Unlock()
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reports := start(t)
			var a, b detect.Mutex
			tt.give(t, &a, &b)
			if r := reports(); len(r) != 0 {
				t.Fatalf("reports = %v, want none", kinds(r))
			}
		})
	}
}

// Cond.Wait releases the gate in the middle: G1: g, a, Wait (g released), b.
func TestGateReleasedByCondWait(t *testing.T) {
	reports := start(t)
	var g, a, b detect.Mutex
	c := detect.NewCond(&g)
	done := make(chan bool)
	g.Lock()
	a.Lock()
	go func() { g.Lock(); c.Signal(); g.Unlock(); done <- true }()
	c.Wait()
	b.Lock()
	b.Unlock()
	a.Unlock()
	g.Unlock()
	<-done
	gatedBA(&g, &a, &b)
	if len(reports()) == 0 {
		t.Fatal("not reported")
	}
}

// Foreign unlock of the gate before the second lock.
func TestGateUnlockedByAnother(t *testing.T) {
	reports := start(t)
	var g, a, b detect.Mutex
	g.Lock()
	a.Lock()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { g.Unlock(); wg.Done() }()
	wg.Wait()
	b.Lock()
	b.Unlock()
	a.Unlock()
	gatedBA(&g, &a, &b)
	onlyKind(t, reports(), detect.KindLockOrderCycle)
}

// GC'd gate, new gate: must report when the two orders use different gates.
func TestGateCollected(t *testing.T) {
	reports := start(t)
	var a, b detect.Mutex
	func() { g := new(detect.Mutex); gatedAB(g, &a, &b) }()
	for range 3 {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	g2 := new(detect.Mutex)
	gatedBA(g2, &a, &b)
	onlyKind(t, reports(), detect.KindLockOrderCycle)
}

// readThenLock takes a for reading, then b.
func readThenLock(a *detect.RWMutex, b *detect.Mutex) {
	a.RLock()
	b.Lock()
	b.Unlock()
	a.RUnlock()
}

// gatedLockThenWrite takes g, then b, then a for writing.
func gatedLockThenWrite(g, b *detect.Mutex, a *detect.RWMutex) {
	g.Lock()
	b.Lock()
	a.Lock()
	a.Unlock()
	b.Unlock()
	g.Unlock()
}

// TestGateSequentialBaseline: a(r)->b under g, then without g, then b->a
// under g: reported.
func TestGateSequentialBaseline(t *testing.T) {
	reports := start(t)
	var g, b detect.Mutex
	var a detect.RWMutex
	g.Lock()
	readThenLock(&a, &b)
	g.Unlock()
	readThenLock(&a, &b)
	gatedLockThenWrite(&g, &b, &a)
	onlyKind(t, reports(), detect.KindLockOrderCycle)
}

// TestGateConcurrentFirstSighting: two goroutines see a(r)->b for the first
// time at once, one under g: whichever adds the edge, the other's sighting
// still narrows its gates, so b->a under g is reported.
func TestGateConcurrentFirstSighting(t *testing.T) {
	const n = 400
	missed := 0
	for i := 0; i < n; i++ {
		var g detect.Mutex
		var a detect.RWMutex
		var b detect.Mutex
		d := detect.New(detect.WithLog(detect.LogOff))
		stop := d.Start()
		var ready, wg sync.WaitGroup
		go1 := make(chan struct{})
		ready.Add(2)
		wg.Add(2)
		sight := func(gated bool) { // a(r), then b; under g if gated
			defer wg.Done()
			if gated {
				g.Lock()
				defer g.Unlock()
			}
			a.RLock()
			ready.Done()
			<-go1
			b.Lock()
			b.Unlock()
			a.RUnlock()
		}
		go sight(true)
		go sight(false)
		ready.Wait()
		close(go1)
		wg.Wait()
		readThenLock(&a, &b)           // the ungated order again
		gatedLockThenWrite(&g, &b, &a) // the other order, under g
		if len(d.Reports()) == 0 {
			missed++
		}
		stop()
		d.Close()
	}
	if missed > 0 {
		t.Errorf("%d of %d inversions a(r)->b ungated / b->a under g not reported", missed, n)
	}
}

// TestGateClosedWalkIsNoCycle: b->a, a->x, x->b all under g; x->y, y->x
// under h. Every simple cycle is gated (by g, by h); the closed walk
// b->a->x->y->x->b has no common gate but is no cycle (two goroutines would
// hold x).
func TestGateClosedWalkIsNoCycle(t *testing.T) {
	reports := start(t)
	var g, h, a, b, x, y detect.Mutex
	gatedAB(&g, &a, &b)
	gatedAB(&g, &a, &x)
	gatedAB(&g, &x, &b)
	gatedAB(&h, &x, &y)
	gatedBA(&h, &x, &y) // y->x: gated 2-cycle, stored
	gatedBA(&g, &a, &b) // b->a: every simple cycle through it is gated by g
	if r := reports(); len(r) != 0 {
		t.Fatalf("reports = %v, want none: each simple cycle has a common gate", kinds(r))
	}
}

// TestGateCycleReportedOnce: two gated edges on one cycle that a new path
// makes ungated: one report.
func TestGateCycleReportedOnce(t *testing.T) {
	reports := start(t)
	var g, h, a, b, c, d detect.Mutex
	gatedAB(&g, &a, &b)
	gatedBA(&g, &a, &b) // b->a stored
	gatedAB(&h, &c, &d)
	gatedBA(&h, &c, &d) // d->c stored
	lockAB(&a, &d)
	plainAB(&c, &b) // closes b->a->d->c->b, no common gate
	r := onlyKind(t, reports(), detect.KindLockOrderCycle)
	if r.Count != 1 {
		t.Errorf("Count = %d, want 1: one cycle, reported %d times", r.Count, r.Count)
	}
}
