package lockgraph

import (
	"math/rand/v2"
	"runtime"
	"testing"
	"time"
)

// dagEdges returns m distinct random edges over n nodes that respect a
// hidden random order (so the graph stays acyclic) while the nodes are
// created in a different order, so many insertions violate the current
// topological order and force Pearce–Kelly reorders.
func dagEdges(n, m int, seed uint64) [][2]int32 {
	r := rand.New(rand.NewPCG(seed, 42))
	pos := r.Perm(n)
	seen := make(map[[2]int32]bool, m)
	es := make([][2]int32, 0, m)
	for len(es) < m {
		u, v := int32(r.IntN(n)), int32(r.IntN(n))
		if u == v {
			continue
		}
		if pos[u] > pos[v] {
			u, v = v, u
		}
		e := [2]int32{u, v}
		if !seen[e] {
			seen[e] = true
			es = append(es, e)
		}
	}
	return es
}

func heapAlloc() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func BenchmarkAddExistingEdge(b *testing.B) {
	const n, m = 1000, 10000
	g := New()
	ids := make([]Node, n)
	for i := range ids {
		ids[i] = g.NewNode()
	}
	es := dagEdges(n, m, 1)
	for _, e := range es {
		g.AddEdge(ids[e[0]], ids[e[1]], 0)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		e := es[i%m]
		if _, added := g.AddEdge(ids[e[0]], ids[e[1]], 0); added {
			b.Fatal("existing edge added")
		}
	}
}

// BenchmarkAddNewEdge builds graphs of growing size and reports the mean
// time per inserted edge (ns/edge) and the heap growth per edge
// (bytes/edge, excluding the nodes). The nodes=N cases have N nodes and N
// edges; the last case has the density the detector is sized for.
func BenchmarkAddNewEdge(b *testing.B) {
	cases := []struct {
		name string
		n, m int
	}{
		{"nodes=1e3", 1e3, 1e3},
		{"nodes=1e4", 1e4, 1e4},
		{"nodes=1e5", 1e5, 1e5},
		{"nodes=1e6", 1e6, 1e6},
		{"nodes=1e5/edges=1e6", 1e5, 1e6},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			es := dagEdges(c.n, c.m, 2)
			ids := make([]Node, c.n)
			b.ResetTimer()
			var elapsed time.Duration
			var bytes uint64
			for range b.N {
				b.StopTimer()
				g := New()
				for i := range ids {
					ids[i] = g.NewNode()
				}
				before := heapAlloc()
				b.StartTimer()
				start := time.Now()
				for _, e := range es {
					if cycle, added := g.AddEdge(ids[e[0]], ids[e[1]], uint64(e[0])); !added || cycle != nil {
						b.Fatalf("AddEdge(%v, %v) = %v, %v", e[0], e[1], cycle, added)
					}
				}
				elapsed += time.Since(start)
				b.StopTimer()
				bytes += heapAlloc() - before
				runtime.KeepAlive(g)
				b.StartTimer()
			}
			b.ReportMetric(float64(elapsed.Nanoseconds())/float64(b.N*c.m), "ns/edge")
			b.ReportMetric(float64(bytes)/float64(b.N*c.m), "bytes/edge")
		})
	}
}

// BenchmarkRemoveNode measures removing and re-adding a node with ~10 edges.
func BenchmarkRemoveNode(b *testing.B) {
	const n, m = 10000, 100000
	g := New()
	ids := make([]Node, n)
	for i := range ids {
		ids[i] = g.NewNode()
	}
	es := dagEdges(n, m, 3)
	for _, e := range es {
		g.AddEdge(ids[e[0]], ids[e[1]], 0)
	}
	r := rand.New(rand.NewPCG(4, 4))
	for b.Loop() {
		i := r.IntN(n)
		g.RemoveNode(ids[i])
		ids[i] = g.NewNode()
		for range 10 {
			g.AddEdge(ids[i], ids[r.IntN(n)], 0)
		}
	}
}

// BenchmarkRemoveHubChild measures removing a node whose only edge comes
// from a hub of a million edges, and adding a new one: a lock taken under
// one long-lived lock, made and collected again and again.
func BenchmarkRemoveHubChild(b *testing.B) {
	const n = 1 << 20
	g := New()
	hub := g.NewNode()
	kids := make([]Node, n)
	for i := range kids {
		kids[i] = g.NewNode()
		g.AddEdge(hub, kids[i], 0)
	}
	r := rand.New(rand.NewPCG(5, 5))
	for b.Loop() {
		i := r.IntN(n)
		g.RemoveNode(kids[i])
		kids[i] = g.NewNode()
		g.AddEdge(hub, kids[i], 0)
	}
}
