package lockgraph

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
)

// Node identifies a node of a Graph. The zero Node is never valid.
//
// The low 32 bits hold the slot index and the high 32 bits a generation
// that is bumped whenever the slot is freed, so the id of a removed node is
// never confused with a later node that reuses its slot.
type Node uint64

func makeNode(slot, gen uint32) Node { return Node(uint64(gen)<<32 | uint64(slot)) }

func (n Node) slot() uint32 { return uint32(n) }
func (n Node) gen() uint32  { return uint32(n >> 32) }

// Index returns the slot index of n. Slot indices are dense (below the
// largest number of nodes ever alive at once) and are reused after
// RemoveNode, so they suit side tables indexed by node; use the full Node
// to tell a reused slot apart.
func (n Node) Index() int { return int(n.slot()) }

// String formats n as "n<slot>.<generation>", e.g. "n3.1".
func (n Node) String() string {
	return "n" + strconv.FormatUint(uint64(n.slot()), 10) + "." + strconv.FormatUint(uint64(n.gen()), 10)
}

// Edge is a directed edge From→To: lock To was acquired while From was held.
// Data is the caller's payload (for example the id of the stack trace where
// the edge was first seen).
type Edge struct {
	From, To Node
	Data     uint64
}

func (e Edge) String() string { return fmt.Sprintf("%v→%v", e.From, e.To) }

// maxGen is the last generation a slot may have; a slot that reaches it is
// retired instead of reused so ids can never repeat.
const maxGen = ^uint32(0)

type slot struct {
	out, in []uint32 // in-order (acyclic) edges, by slot index; unordered
	cyc     *cycAdj  // remembered cycle-closing edges; nil if none
	gen     uint32
	rank    uint32 // position in the topological order; ranks of all slots are a permutation of [0, len(slots))
	live    bool
	visited bool // scratch mark for searches; always false between calls
}

type cycAdj struct{ out, in []uint32 }

// edgeVal is what the edge table keeps for an edge x→y: the caller's
// payload, and where y sits in x's out list and x in y's in list (the
// cycle-closing lists for a cycle-closing edge), so that removing an edge
// from its lists costs O(1) whatever the degrees (a lock taken under one
// long-lived lock, made and collected millions of times, leaves that lock
// with a huge out list).
type edgeVal struct {
	data          uint64
	outPos, inPos uint32
}

// Graph is a directed lock-order graph that maintains a topological order of
// its acyclic edges incrementally (Pearce–Kelly) and reports cycles.
//
// A Graph is not safe for concurrent use: callers must serialise all method
// calls (the detector holds its own mutex around every call).
type Graph struct {
	slots    []slot
	free     []uint32
	edges    map[uint64]edgeVal  // key(from,to) → Data and list positions, for every known edge
	cyc      map[uint64]struct{} // keys of remembered cycle-closing edges
	numNodes int

	// scratch buffers reused between calls
	deltaf, deltab, stack, list, merged []uint32
	par                                 []int32
}

// New returns an empty graph.
func New() *Graph {
	return &Graph{edges: make(map[uint64]edgeVal), cyc: make(map[uint64]struct{})}
}

func key(from, to uint32) uint64 { return uint64(from)<<32 | uint64(to) }

func (g *Graph) node(i uint32) Node { return makeNode(i, g.slots[i].gen) }

// lookup returns the slot of n and whether n is a live node of g.
func (g *Graph) lookup(n Node) (uint32, bool) {
	i := n.slot()
	if uint64(i) >= uint64(len(g.slots)) {
		return 0, false
	}
	s := &g.slots[i]
	return i, s.live && s.gen == n.gen()
}

// NewNode adds a node without edges and returns its id. The slot of a
// removed node is reused with a new generation.
func (g *Graph) NewNode() Node {
	g.numNodes++
	if n := len(g.free); n > 0 {
		i := g.free[n-1]
		g.free = g.free[:n-1]
		s := &g.slots[i]
		s.live = true // s.rank is kept: ranks stay a permutation of the slots
		return makeNode(i, s.gen)
	}
	if uint64(len(g.slots)) >= uint64(maxGen) {
		panic("lockgraph: too many nodes")
	}
	i := uint32(len(g.slots))
	g.slots = append(g.slots, slot{gen: 1, rank: i, live: true})
	return makeNode(i, 1)
}

// Contains reports whether n is a live node of g.
func (g *Graph) Contains(n Node) bool {
	_, ok := g.lookup(n)
	return ok
}

// NumNodes returns the number of live nodes.
func (g *Graph) NumNodes() int { return g.numNodes }

// NumEdges returns the number of edges, including remembered cycle-closing
// edges.
func (g *Graph) NumEdges() int { return len(g.edges) }

// RemoveNode removes n and all its edges, including remembered
// cycle-closing ones. It costs O(degree of n) and is a no-op if n is not a
// live node.
func (g *Graph) RemoveNode(n Node) {
	i, ok := g.lookup(n)
	if !ok {
		return
	}
	s := &g.slots[i]
	for _, w := range s.out {
		g.unlink(&g.slots[w].in, i, w, false)
		delete(g.edges, key(i, w))
	}
	for _, w := range s.in {
		g.unlink(&g.slots[w].out, w, i, true)
		delete(g.edges, key(w, i))
	}
	if c := s.cyc; c != nil {
		for _, w := range c.out {
			if w != i {
				g.unlink(&g.slots[w].cyc.in, i, w, false)
				g.releaseCyc(w)
			}
			delete(g.edges, key(i, w))
			delete(g.cyc, key(i, w))
		}
		for _, w := range c.in {
			if w != i {
				g.unlink(&g.slots[w].cyc.out, w, i, true)
				g.releaseCyc(w)
			}
			delete(g.edges, key(w, i))
			delete(g.cyc, key(w, i))
		}
	}
	s.out, s.in, s.cyc = nil, nil, nil
	s.live = false
	g.numNodes--
	if s.gen == maxGen {
		return // retire the slot: its ids must never repeat
	}
	s.gen++
	g.free = append(g.free, i)
}

// releaseCyc drops w's cycAdj once it is empty.
func (g *Graph) releaseCyc(w uint32) {
	if c := g.slots[w].cyc; len(c.out) == 0 && len(c.in) == 0 {
		g.slots[w].cyc = nil
	}
}

// unlink removes the edge x→y from list: x's out list (or cycle-closing
// out list) if out, else y's in list, at the position the edge table
// gives; the last element takes its place and its edge's position is
// updated.
func (g *Graph) unlink(list *[]uint32, x, y uint32, out bool) {
	a := *list
	e := g.edges[key(x, y)]
	pos, last := e.inPos, uint32(len(a)-1)
	if out {
		pos = e.outPos
	}
	if pos != last {
		m := a[last]
		a[pos] = m
		if out {
			moved := g.edges[key(x, m)]
			moved.outPos = pos
			g.edges[key(x, m)] = moved
		} else {
			moved := g.edges[key(m, y)]
			moved.inPos = pos
			g.edges[key(m, y)] = moved
		}
	}
	*list = a[:last]
}

// HasEdge reports whether the edge from→to is known, either in the
// topological order or remembered as cycle-closing.
func (g *Graph) HasEdge(from, to Node) bool {
	_, ok := g.EdgeData(from, to)
	return ok
}

// EdgeData returns the payload of the edge from→to, and whether it exists.
func (g *Graph) EdgeData(from, to Node) (uint64, bool) {
	x, ok1 := g.lookup(from)
	y, ok2 := g.lookup(to)
	if !ok1 || !ok2 {
		return 0, false
	}
	e, ok := g.edges[key(x, y)]
	return e.data, ok
}

// AddEdge records the edge from→to with payload data.
//
// If from or to is not a live node, or the edge is already known (added
// before, or remembered as cycle-closing), AddEdge does nothing and returns
// (nil, false); the known-edge case is a single hash lookup.
//
// Otherwise the edge is recorded and added is true. If the edge agrees with
// the current topological order it costs O(1); if not, only the nodes whose
// ranks lie between the two ends are searched and reordered (Pearce–Kelly).
//
// If the edge closes a cycle among the in-order edges, AddEdge returns that
// cycle: the new edge first, followed by a shortest path of in-order edges
// from to back to from (for existing B→C, C→A and new A→B: [A→B, B→C,
// C→A]). A self edge (from == to) is a cycle of length 1. Such an edge is
// remembered (HasEdge reports it, later AddEdge calls return (nil, false))
// but kept out of the topological order, so it never takes part in later
// cycles or reorders.
func (g *Graph) AddEdge(from, to Node, data uint64) (cycle []Edge, added bool) {
	x, ok1 := g.lookup(from)
	y, ok2 := g.lookup(to)
	if !ok1 || !ok2 {
		return nil, false
	}
	k := key(x, y)
	if _, ok := g.edges[k]; ok {
		return nil, false
	}
	if x == y {
		g.addCyclic(x, y, k, data)
		return []Edge{{from, to, data}}, true
	}
	rx, ry := g.slots[x].rank, g.slots[y].rank
	if rx > ry {
		if !g.forward(y, rx) {
			g.clearVisited(g.deltaf)
			cycle = g.cyclePath(y, x, rx, Edge{from, to, data})
			g.addCyclic(x, y, k, data)
			return cycle, true
		}
		g.backward(x, ry)
		g.reorder()
	}
	sx, sy := &g.slots[x], &g.slots[y]
	g.edges[k] = edgeVal{data, uint32(len(sx.out)), uint32(len(sy.in))}
	sx.out = append(sx.out, y)
	sy.in = append(sy.in, x)
	return nil, true
}

func (g *Graph) addCyclic(x, y uint32, k uint64, data uint64) {
	g.cyc[k] = struct{}{}
	if g.slots[x].cyc == nil {
		g.slots[x].cyc = new(cycAdj)
	}
	if g.slots[y].cyc == nil {
		g.slots[y].cyc = new(cycAdj)
	}
	cx, cy := g.slots[x].cyc, g.slots[y].cyc
	g.edges[k] = edgeVal{data, uint32(len(cx.out)), uint32(len(cy.in))}
	cx.out = append(cx.out, y)
	cy.in = append(cy.in, x)
}

// forward collects in g.deltaf the nodes reachable from start through nodes
// of rank below upper, marking them visited. It returns false as soon as it
// meets the node of rank upper (a cycle).
func (g *Graph) forward(start, upper uint32) bool {
	g.deltaf = g.deltaf[:0]
	stack := append(g.stack[:0], start)
	defer func() { g.stack = stack[:0] }()
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		s := &g.slots[n]
		if s.visited {
			continue
		}
		s.visited = true
		g.deltaf = append(g.deltaf, n)
		for _, w := range s.out {
			ws := &g.slots[w]
			if ws.rank == upper {
				return false
			}
			if !ws.visited && ws.rank < upper {
				stack = append(stack, w)
			}
		}
	}
	return true
}

// backward collects in g.deltab the nodes that reach start through nodes of
// rank above lower, marking them visited.
func (g *Graph) backward(start, lower uint32) {
	g.deltab = g.deltab[:0]
	stack := append(g.stack[:0], start)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		s := &g.slots[n]
		if s.visited {
			continue
		}
		s.visited = true
		g.deltab = append(g.deltab, n)
		for _, w := range s.in {
			ws := &g.slots[w]
			if !ws.visited && ws.rank > lower {
				stack = append(stack, w)
			}
		}
	}
	g.stack = stack[:0]
}

// reorder gives the nodes of deltab, then those of deltaf, the ranks they
// currently occupy, in increasing order, and clears their visited marks.
func (g *Graph) reorder() {
	byRank := func(a, b uint32) int { return cmp.Compare(g.slots[a].rank, g.slots[b].rank) }
	slices.SortFunc(g.deltab, byRank)
	slices.SortFunc(g.deltaf, byRank)
	g.list = append(append(g.list[:0], g.deltab...), g.deltaf...)
	// Merge the two sorted rank sequences.
	g.merged = g.merged[:0]
	b, f := g.deltab, g.deltaf
	for len(b) > 0 || len(f) > 0 {
		if len(f) == 0 || (len(b) > 0 && g.slots[b[0]].rank < g.slots[f[0]].rank) {
			g.merged = append(g.merged, g.slots[b[0]].rank)
			b = b[1:]
		} else {
			g.merged = append(g.merged, g.slots[f[0]].rank)
			f = f[1:]
		}
	}
	for j, n := range g.list {
		s := &g.slots[n]
		s.rank = g.merged[j]
		s.visited = false
	}
}

func (g *Graph) clearVisited(ns []uint32) {
	for _, n := range ns {
		g.slots[n].visited = false
	}
}

// cyclePath returns first followed by a shortest path of in-order edges from
// y to x, searching only nodes of rank below upper (x has rank upper; every
// path from y to x lies in that region).
func (g *Graph) cyclePath(y, x, upper uint32, first Edge) []Edge {
	queue := append(g.stack[:0], y)
	par := append(g.par[:0], -1)
	g.slots[y].visited = true
	defer func() {
		g.clearVisited(queue)
		g.stack, g.par = queue[:0], par[:0]
	}()
	for i := 0; i < len(queue); i++ {
		for _, w := range g.slots[queue[i]].out {
			if w == x {
				return g.pathEdges(queue, par, i, x, first)
			}
			ws := &g.slots[w]
			if !ws.visited && ws.rank < upper {
				ws.visited = true
				queue = append(queue, w)
				par = append(par, int32(i))
			}
		}
	}
	panic("lockgraph: internal error: cycle not found")
}

// pathEdges builds the edge path ending queue[i]→to from BFS parent links,
// prefixed by first if first.From != 0.
func (g *Graph) pathEdges(queue []uint32, par []int32, i int, to uint32, first Edge) []Edge {
	n := 1
	for j := i; par[j] >= 0; j = int(par[j]) {
		n++
	}
	if first.From != 0 {
		n++
	}
	path := make([]Edge, n)
	v := to
	for j, k := i, n-1; ; j, k = int(par[j]), k-1 {
		u := queue[j]
		path[k] = Edge{g.node(u), g.node(v), g.edges[key(u, v)].data}
		v = u
		if par[j] < 0 {
			break
		}
	}
	if first.From != 0 {
		path[0] = first
	}
	return path
}

// Path returns a shortest non-empty path of known edges (including
// remembered cycle-closing ones) from from to to, or nil if there is none.
// The search is a breadth-first search visiting neighbours in ascending
// Node order, so the result is deterministic. Path(n, n) returns a shortest
// cycle through n, if any.
func (g *Graph) Path(from, to Node) []Edge {
	x, ok1 := g.lookup(from)
	y, ok2 := g.lookup(to)
	if !ok1 || !ok2 {
		return nil
	}
	var queue []uint32
	var par []int32
	queue = append(queue, x)
	par = append(par, -1)
	g.slots[x].visited = true
	defer func() { g.clearVisited(queue) }()
	var nbrs []uint32
	for i := 0; i < len(queue); i++ {
		nbrs = g.sortedOut(queue[i], nbrs[:0])
		for _, w := range nbrs {
			if w == y {
				return g.pathEdges(queue, par, i, y, Edge{})
			}
			if ws := &g.slots[w]; !ws.visited {
				ws.visited = true
				queue = append(queue, w)
				par = append(par, int32(i))
			}
		}
	}
	return nil
}

// sortedOut appends to buf all out-neighbours of n (in-order and
// cycle-closing) sorted by Node.
func (g *Graph) sortedOut(n uint32, buf []uint32) []uint32 {
	s := &g.slots[n]
	buf = append(buf, s.out...)
	if s.cyc != nil {
		buf = append(buf, s.cyc.out...)
	}
	slices.SortFunc(buf, func(a, b uint32) int { return cmp.Compare(g.node(a), g.node(b)) })
	return buf
}

// Successors appends to buf the nodes that n has an edge to, including
// remembered cycle-closing edges, in ascending Node order, and returns the
// extended buffer. It costs O(out-degree of n · log).
func (g *Graph) Successors(n Node, buf []Node) []Node {
	i, ok := g.lookup(n)
	if !ok {
		return buf
	}
	s := &g.slots[i]
	start := len(buf)
	for _, w := range s.out {
		buf = append(buf, g.node(w))
	}
	if s.cyc != nil {
		for _, w := range s.cyc.out {
			buf = append(buf, g.node(w))
		}
	}
	slices.Sort(buf[start:])
	return buf
}

// Edges returns all edges, including remembered cycle-closing ones, sorted
// by (From, To).
func (g *Graph) Edges() []Edge {
	es := make([]Edge, 0, len(g.edges))
	for k, d := range g.edges {
		es = append(es, Edge{g.node(uint32(k >> 32)), g.node(uint32(k)), d.data})
	}
	slices.SortFunc(es, compareEdges)
	return es
}

func compareEdges(a, b Edge) int {
	if c := cmp.Compare(a.From, b.From); c != 0 {
		return c
	}
	return cmp.Compare(a.To, b.To)
}

// IsCycleEdge reports whether from→to is a remembered cycle-closing edge
// (one for which AddEdge returned a cycle).
func (g *Graph) IsCycleEdge(from, to Node) bool {
	x, ok1 := g.lookup(from)
	y, ok2 := g.lookup(to)
	if !ok1 || !ok2 {
		return false
	}
	_, ok := g.cyc[key(x, y)]
	return ok
}

// Neighborhood returns the live nodes among nodes plus every node within
// depth edges of them, following edges in either direction (including
// cycle-closing ones), sorted and without duplicates. Its cost is
// proportional to the edges of the nodes visited.
func (g *Graph) Neighborhood(nodes []Node, depth int) []Node {
	var seen []uint32
	defer func() { g.clearVisited(seen) }()
	for _, n := range nodes {
		if i, ok := g.lookup(n); ok && !g.slots[i].visited {
			g.slots[i].visited = true
			seen = append(seen, i)
		}
	}
	visit := func(ws []uint32) {
		for _, w := range ws {
			if !g.slots[w].visited {
				g.slots[w].visited = true
				seen = append(seen, w)
			}
		}
	}
	for d, start := 0, 0; d < depth && start < len(seen); d++ {
		end := len(seen)
		for _, n := range seen[start:end] {
			s := &g.slots[n]
			visit(s.out)
			visit(s.in)
			if s.cyc != nil {
				visit(s.cyc.out)
				visit(s.cyc.in)
			}
		}
		start = end
	}
	res := make([]Node, len(seen))
	for j, n := range seen {
		res[j] = g.node(n)
	}
	slices.Sort(res)
	return res
}

// checkPositions checks that the edge table gives each edge's place in the
// out and in lists of slot i (its in-order or its cycle-closing lists).
func (g *Graph) checkPositions(i uint32, out, in []uint32) error {
	for p, w := range out {
		if e, ok := g.edges[key(i, w)]; ok && e.outPos != uint32(p) {
			return fmt.Errorf("edge %v→%v: out position %d, but it is at %d", g.node(i), g.node(w), e.outPos, p)
		}
	}
	for p, w := range in {
		if e, ok := g.edges[key(w, i)]; ok && e.inPos != uint32(p) {
			return fmt.Errorf("edge %v→%v: in position %d, but it is at %d", g.node(w), g.node(i), e.inPos, p)
		}
	}
	return nil
}

// CheckInvariants verifies the internal consistency of g: ranks form a
// permutation, every in-order edge goes from a lower to a higher rank, in
// and out adjacency agree with each other and with the edge table, and the
// counts match. It costs O(nodes + edges) and is meant for tests and debug
// modes.
func (g *Graph) CheckInvariants() error {
	ranks := make([]bool, len(g.slots))
	live, inOrder, cyc := 0, 0, 0
	type pair struct{ a, b uint32 }
	outSet := make(map[pair]bool)
	cycOut := make(map[pair]bool)
	for i := range g.slots {
		s := &g.slots[i]
		if s.rank >= uint32(len(g.slots)) || ranks[s.rank] {
			return fmt.Errorf("slot %d: rank %d out of range or duplicated", i, s.rank)
		}
		ranks[s.rank] = true
		if s.visited {
			return fmt.Errorf("slot %d: visited mark left set", i)
		}
		if s.gen == 0 {
			return fmt.Errorf("slot %d: generation 0", i)
		}
		if !s.live {
			if len(s.out)+len(s.in) > 0 || s.cyc != nil {
				return fmt.Errorf("free slot %d has edges", i)
			}
			continue
		}
		live++
		if err := g.checkPositions(uint32(i), s.out, s.in); err != nil {
			return err
		}
		if c := s.cyc; c != nil {
			if err := g.checkPositions(uint32(i), c.out, c.in); err != nil {
				return err
			}
		}
		for _, w := range s.out {
			u := uint32(i)
			if int(w) >= len(g.slots) || !g.slots[w].live {
				return fmt.Errorf("edge %v→slot %d: target not live", g.node(u), w)
			}
			if outSet[pair{u, w}] {
				return fmt.Errorf("edge %v→%v duplicated", g.node(u), g.node(w))
			}
			outSet[pair{u, w}] = true
			if s.rank >= g.slots[w].rank {
				return fmt.Errorf("edge %v→%v violates the order: ranks %d >= %d", g.node(u), g.node(w), s.rank, g.slots[w].rank)
			}
			if _, ok := g.edges[key(u, w)]; !ok {
				return fmt.Errorf("edge %v→%v missing from the edge table", g.node(u), g.node(w))
			}
			if _, ok := g.cyc[key(u, w)]; ok {
				return fmt.Errorf("in-order edge %v→%v marked cycle-closing", g.node(u), g.node(w))
			}
			inOrder++
		}
		if c := s.cyc; c != nil {
			if len(c.out)+len(c.in) == 0 {
				return fmt.Errorf("slot %d: empty cycle adjacency not released", i)
			}
			for _, w := range c.out {
				u := uint32(i)
				if int(w) >= len(g.slots) || !g.slots[w].live {
					return fmt.Errorf("cycle edge %v→slot %d: target not live", g.node(u), w)
				}
				if cycOut[pair{u, w}] || outSet[pair{u, w}] {
					return fmt.Errorf("cycle edge %v→%v duplicated", g.node(u), g.node(w))
				}
				cycOut[pair{u, w}] = true
				if _, ok := g.cyc[key(u, w)]; !ok {
					return fmt.Errorf("cycle edge %v→%v not in the cycle table", g.node(u), g.node(w))
				}
				if _, ok := g.edges[key(u, w)]; !ok {
					return fmt.Errorf("cycle edge %v→%v missing from the edge table", g.node(u), g.node(w))
				}
				cyc++
			}
		}
	}
	if live != g.numNodes {
		return fmt.Errorf("NumNodes = %d, but %d live slots", g.numNodes, live)
	}
	if live+len(g.free) > len(g.slots) {
		return fmt.Errorf("%d live + %d free slots > %d slots", live, len(g.free), len(g.slots))
	}
	for _, i := range g.free {
		if g.slots[i].live {
			return fmt.Errorf("free list holds live slot %d", i)
		}
	}
	// in lists must mirror out lists exactly.
	inCount, cycIn := 0, 0
	for i := range g.slots {
		s := &g.slots[i]
		for _, u := range s.in {
			if !outSet[pair{u, uint32(i)}] {
				return fmt.Errorf("in-edge slot %d→%v has no out-edge", u, g.node(uint32(i)))
			}
			inCount++
		}
		if s.cyc != nil {
			for _, u := range s.cyc.in {
				if !cycOut[pair{u, uint32(i)}] {
					return fmt.Errorf("cycle in-edge slot %d→%v has no out-edge", u, g.node(uint32(i)))
				}
				cycIn++
			}
		}
	}
	if inCount != inOrder || cycIn != cyc {
		return fmt.Errorf("in/out adjacency disagree: %d/%d in-order, %d/%d cycle-closing", inCount, inOrder, cycIn, cyc)
	}
	if cyc != len(g.cyc) || inOrder+cyc != len(g.edges) {
		return fmt.Errorf("edge table has %d edges (%d cycle-closing), adjacency has %d in-order + %d cycle-closing",
			len(g.edges), len(g.cyc), inOrder, cyc)
	}
	return nil
}

// NodeEdges returns the edges into and out of n, including remembered
// cycle-closing ones, sorted by (From, To). It costs O(degree of n).
func (g *Graph) NodeEdges(n Node) []Edge {
	i, ok := g.lookup(n)
	if !ok {
		return nil
	}
	s := &g.slots[i]
	var es []Edge
	add := func(from, to uint32) {
		es = append(es, Edge{g.node(from), g.node(to), g.edges[key(from, to)].data})
	}
	for _, w := range s.out {
		add(i, w)
	}
	for _, w := range s.in {
		add(w, i)
	}
	if c := s.cyc; c != nil {
		for _, w := range c.out {
			add(i, w)
		}
		for _, w := range c.in {
			if w != i {
				add(w, i)
			}
		}
	}
	slices.SortFunc(es, compareEdges)
	return es
}

// Compact rebuilds the graph's edge tables at their current size. Go maps
// keep the memory of their largest size: after many nodes were removed,
// Compact gives it back. It costs O(edges).
func (g *Graph) Compact() {
	edges := make(map[uint64]edgeVal, len(g.edges))
	for k, v := range g.edges {
		edges[k] = v
	}
	g.edges = edges
	cyc := make(map[uint64]struct{}, len(g.cyc))
	for k := range g.cyc {
		cyc[k] = struct{}{}
	}
	g.cyc = cyc
}
