package lockgraph

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// oracle is a brute-force model of Graph: plain edge sets and searches.
type oracle struct {
	live map[Node]bool
	acyc map[[2]Node]uint64 // edges in the topological order
	cyc  map[[2]Node]uint64 // remembered cycle-closing edges
}

func newOracle() *oracle {
	return &oracle{live: map[Node]bool{}, acyc: map[[2]Node]uint64{}, cyc: map[[2]Node]uint64{}}
}

func (o *oracle) data(a, b Node) (uint64, bool) {
	if d, ok := o.acyc[[2]Node{a, b}]; ok {
		return d, true
	}
	d, ok := o.cyc[[2]Node{a, b}]
	return d, ok
}

// successors returns the out-neighbours of n in ascending order, over the
// acyclic edges only or over all edges.
func (o *oracle) successors(n Node, all bool) []Node {
	var out []Node
	for e := range o.acyc {
		if e[0] == n {
			out = append(out, e[1])
		}
	}
	if all {
		for e := range o.cyc {
			if e[0] == n {
				out = append(out, e[1])
			}
		}
	}
	slices.Sort(out)
	return out
}

// reaches reports whether to is reachable from from (DFS, acyclic edges).
func (o *oracle) reaches(from, to Node) bool {
	seen := map[Node]bool{from: true}
	stack := []Node{from}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n == to {
			return true
		}
		for _, w := range o.successors(n, false) {
			if !seen[w] {
				seen[w] = true
				stack = append(stack, w)
			}
		}
	}
	return false
}

// shortest returns a shortest non-empty path from→to by BFS visiting
// neighbours in ascending order, or nil.
func (o *oracle) shortest(from, to Node, all bool) []Edge {
	par := map[Node]Node{}
	seen := map[Node]bool{from: true}
	queue := []Node{from}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		for _, w := range o.successors(u, all) {
			if w == to {
				var path []Edge
				v := w
				for x := u; ; x = par[x] {
					d, _ := o.data(x, v)
					path = append(path, Edge{x, v, d})
					v = x
					if x == from {
						break
					}
				}
				slices.Reverse(path)
				return path
			}
			if !seen[w] {
				seen[w] = true
				par[w] = u
				queue = append(queue, w)
			}
		}
	}
	return nil
}

func (o *oracle) edges() []Edge {
	var es []Edge
	for e, d := range o.acyc {
		es = append(es, Edge{e[0], e[1], d})
	}
	for e, d := range o.cyc {
		es = append(es, Edge{e[0], e[1], d})
	}
	slices.SortFunc(es, compareEdges)
	return es
}

func (o *oracle) neighborhood(nodes []Node, depth int) []Node {
	seen := map[Node]bool{}
	var frontier []Node
	for _, n := range nodes {
		if o.live[n] && !seen[n] {
			seen[n] = true
			frontier = append(frontier, n)
		}
	}
	for d := 0; d < depth; d++ {
		var next []Node
		for _, m := range [](map[[2]Node]uint64){o.acyc, o.cyc} {
			for e := range m {
				for _, n := range frontier {
					for _, w := range []Node{e[0], e[1]} {
						if (e[0] == n || e[1] == n) && !seen[w] {
							seen[w] = true
							next = append(next, w)
						}
					}
				}
			}
		}
		frontier = next
	}
	var res []Node
	for n := range seen {
		res = append(res, n)
	}
	slices.Sort(res)
	return res
}

// harness applies operations to a Graph and the oracle and compares them.
type harness struct {
	t   testing.TB
	g   *Graph
	o   *oracle
	ids []Node // every id ever returned, live or stale
}

func newHarness(t testing.TB) *harness {
	return &harness{t: t, g: New(), o: newOracle()}
}

func (h *harness) newNode() {
	n := h.g.NewNode()
	if n == 0 || h.o.live[n] || slices.Contains(h.ids, n) {
		h.t.Fatalf("NewNode() = %v, want a fresh non-zero id", n)
	}
	h.o.live[n] = true
	h.ids = append(h.ids, n)
}

func (h *harness) removeNode(n Node) {
	h.g.RemoveNode(n)
	if !h.o.live[n] {
		return
	}
	delete(h.o.live, n)
	for _, m := range []map[[2]Node]uint64{h.o.acyc, h.o.cyc} {
		for e := range m {
			if e[0] == n || e[1] == n {
				delete(m, e)
			}
		}
	}
}

func (h *harness) addEdge(a, b Node, data uint64) {
	t := h.t
	cycle, added := h.g.AddEdge(a, b, data)
	_, known := h.o.data(a, b)
	if !h.o.live[a] || !h.o.live[b] || known {
		if cycle != nil || added {
			t.Fatalf("AddEdge(%v, %v) = %v, %v, want nil, false (stale or known)", a, b, cycle, added)
		}
		return
	}
	if !added {
		t.Fatalf("AddEdge(%v, %v) added = false, want true", a, b)
	}
	if a != b && !h.o.reaches(b, a) {
		if cycle != nil {
			t.Fatalf("AddEdge(%v, %v) = %v, want no cycle", a, b, cycle)
		}
		h.o.acyc[[2]Node{a, b}] = data
		return
	}
	// The edge closes a cycle.
	want := 1 + len(h.o.shortest(b, a, false))
	if a == b {
		want = 1
	}
	if len(cycle) != want {
		t.Fatalf("AddEdge(%v, %v) = %v, want a cycle of length %d", a, b, cycle, want)
	}
	if cycle[0] != (Edge{a, b, data}) {
		t.Fatalf("AddEdge(%v, %v) = %v, want the new edge first", a, b, cycle)
	}
	for i, e := range cycle[1:] {
		if e.From != cycle[i].To {
			t.Fatalf("AddEdge(%v, %v) = %v: not a chain at %d", a, b, cycle, i+1)
		}
		if d, ok := h.o.acyc[[2]Node{e.From, e.To}]; !ok || d != e.Data {
			t.Fatalf("AddEdge(%v, %v) = %v: edge %v is not a known in-order edge with data %d", a, b, cycle, e, e.Data)
		}
	}
	if cycle[len(cycle)-1].To != a {
		t.Fatalf("AddEdge(%v, %v) = %v, want it to end at %v", a, b, cycle, a)
	}
	h.o.cyc[[2]Node{a, b}] = data
}

func (h *harness) checkPath(a, b Node) {
	got := h.g.Path(a, b)
	var want []Edge
	if h.o.live[a] && h.o.live[b] {
		want = h.o.shortest(a, b, true)
	}
	if !slices.Equal(got, want) {
		h.t.Fatalf("Path(%v, %v) = %v, want %v", a, b, got, want)
	}
}

func (h *harness) checkNeighborhood(nodes []Node, depth int) {
	got := h.g.Neighborhood(nodes, depth)
	want := h.o.neighborhood(nodes, depth)
	if !slices.Equal(got, want) {
		h.t.Fatalf("Neighborhood(%v, %d) = %v, want %v", nodes, depth, got, want)
	}
}

// check compares the cheap observable state after every operation.
func (h *harness) check(a, b Node) {
	t := h.t
	if err := h.g.CheckInvariants(); err != nil {
		t.Fatalf("CheckInvariants() = %v, want nil", err)
	}
	if got, want := h.g.NumNodes(), len(h.o.live); got != want {
		t.Fatalf("NumNodes() = %d, want %d", got, want)
	}
	if got, want := h.g.NumEdges(), len(h.o.acyc)+len(h.o.cyc); got != want {
		t.Fatalf("NumEdges() = %d, want %d", got, want)
	}
	for _, p := range [][2]Node{{a, b}, {b, a}} {
		wantData, want := h.o.data(p[0], p[1])
		if got := h.g.HasEdge(p[0], p[1]); got != want {
			t.Fatalf("HasEdge(%v, %v) = %v, want %v", p[0], p[1], got, want)
		}
		if d, ok := h.g.EdgeData(p[0], p[1]); ok != want || d != wantData {
			t.Fatalf("EdgeData(%v, %v) = %d, %v, want %d, %v", p[0], p[1], d, ok, wantData, want)
		}
		_, wantCyc := h.o.cyc[[2]Node{p[0], p[1]}]
		if got := h.g.IsCycleEdge(p[0], p[1]); got != wantCyc {
			t.Fatalf("IsCycleEdge(%v, %v) = %v, want %v", p[0], p[1], got, wantCyc)
		}
	}
	for _, n := range []Node{a, b} {
		if got, want := h.g.Contains(n), h.o.live[n]; got != want {
			t.Fatalf("Contains(%v) = %v, want %v", n, got, want)
		}
	}
}

// checkFull compares the whole graph (more expensive).
func (h *harness) checkFull() {
	if got, want := h.g.Edges(), h.o.edges(); !slices.Equal(got, want) {
		h.t.Fatalf("Edges() = %v, want %v", got, want)
	}
	for _, n := range h.ids {
		if got, want := h.g.Contains(n), h.o.live[n]; got != want {
			h.t.Fatalf("Contains(%v) = %v, want %v", n, got, want)
		}
	}
}

// pick returns an id: usually a live one, sometimes a stale or made-up one.
func (h *harness) pick(r uint64) Node {
	if len(h.ids) == 0 || r%16 == 0 {
		// made-up: zero, or a plausible slot with a possibly wrong generation
		return makeNode(uint32(r>>4%8), uint32(r>>7%3))
	}
	return h.ids[r%uint64(len(h.ids))]
}

// step performs one operation chosen by op/r1/r2 and checks the result.
func (h *harness) step(op byte, r1, r2 uint64, maxNodes int) {
	a, b := h.pick(r1), h.pick(r2)
	switch op % 16 {
	case 0, 1:
		if len(h.o.live) < maxNodes {
			h.newNode()
		}
	case 2:
		h.removeNode(a)
	case 3:
		h.checkPath(a, b)
	case 4:
		h.checkNeighborhood([]Node{a, b}, int(r1%4))
	default:
		h.addEdge(a, b, r2)
	}
	h.check(a, b)
}

func TestGraphMatchesOracle(t *testing.T) {
	seeds, ops := 60, 3000
	if testing.Short() {
		seeds, ops = 10, 1000
	}
	for seed := range uint64(seeds) {
		r := rand.New(rand.NewPCG(seed, 0x6c6f636b))
		maxNodes := 3 + r.IntN(40) // small graphs are dense and full of cycles
		h := newHarness(t)
		for range 8 {
			h.newNode()
		}
		for i := range ops {
			h.step(byte(r.Uint32()), r.Uint64(), r.Uint64(), maxNodes)
			if i%50 == 0 {
				h.checkFull()
			}
			if t.Failed() {
				t.Fatalf("seed %d, op %d", seed, i)
			}
		}
		h.checkFull()
	}
}

// TestGraphOracleNoCycles drives only order-respecting and order-violating
// acyclic edges (a hidden order decides direction) through long
// reorderings, with node churn.
func TestGraphOracleNoCycles(t *testing.T) {
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 1))
		h := newHarness(t)
		pos := map[Node]int{}
		for range 60 {
			h.newNode()
			pos[h.ids[len(h.ids)-1]] = r.IntN(1 << 20)
		}
		for i := range 2000 {
			live := make([]Node, 0, len(h.o.live))
			for n := range h.o.live {
				live = append(live, n)
			}
			slices.Sort(live)
			a, b := live[r.IntN(len(live))], live[r.IntN(len(live))]
			if r.IntN(20) == 0 {
				h.removeNode(a)
				h.newNode()
				pos[h.ids[len(h.ids)-1]] = r.IntN(1 << 20)
			} else if a != b {
				if pos[a] > pos[b] {
					a, b = b, a
				}
				h.addEdge(a, b, uint64(i))
				if h.g.IsCycleEdge(a, b) {
					t.Fatalf("seed %d: AddEdge(%v, %v) reported a cycle in a DAG", seed, a, b)
				}
			}
			h.check(a, b)
			if i%100 == 0 {
				h.checkFull()
				h.checkPath(a, b)
			}
		}
	}
}

// FuzzGraph decodes the input into operations: each 3-byte group is an
// operation code and two node selectors.
func FuzzGraph(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0x10, 0x20, 5, 0x20, 0x30, 5, 0x30, 0x10})
	f.Fuzz(func(t *testing.T, data []byte) {
		h := newHarness(t)
		for range 4 {
			h.newNode()
		}
		for i := 0; i+2 < len(data) && i < 3*2000; i += 3 {
			h.step(data[i], uint64(data[i+1]), uint64(data[i+2]), 24)
		}
		h.checkFull()
	})
}
