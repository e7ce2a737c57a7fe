package detect_test

import (
	"strings"
	"testing"

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

// TestGateReadLockIsNoGate: readers hold a lock together, so a read-held
// lock gates nothing.
func TestGateReadLockIsNoGate(t *testing.T) {
	reports := start(t)
	var g detect.RWMutex
	var a, b detect.Mutex
	g.RLock()
	lockAB(&a, &b)
	g.RUnlock()
	g.RLock()
	lockBA(&a, &b)
	g.RUnlock()
	onlyKind(t, reports(), detect.KindLockOrderCycle)
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
