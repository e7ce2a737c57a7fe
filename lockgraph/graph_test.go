package lockgraph

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// letters builds a graph with nodes A.. and returns them by name.
func letters(n int) (*Graph, map[string]Node, map[Node]string) {
	g := New()
	byName := map[string]Node{}
	names := map[Node]string{}
	for i := range n {
		name := string(rune('A' + i))
		id := g.NewNode()
		byName[name], names[id] = id, name
	}
	return g, byName, names
}

// fmtEdges formats edges as "A→B B→C".
func fmtEdges(es []Edge, names map[Node]string) string {
	var parts []string
	for _, e := range es {
		parts = append(parts, names[e.From]+"→"+names[e.To])
	}
	return strings.Join(parts, " ")
}

// addAll adds edges written as "AB BC" (data = position+1).
func addAll(t *testing.T, g *Graph, n map[string]Node, edges string) {
	t.Helper()
	for i, e := range strings.Fields(edges) {
		if _, added := g.AddEdge(n[e[:1]], n[e[1:]], uint64(i+1)); !added {
			t.Fatalf("setup AddEdge(%s, %s) added = false", e[:1], e[1:])
		}
	}
}

func TestAddEdge(t *testing.T) {
	tests := []struct {
		name      string
		give      string // existing edges
		giveEdge  string // the edge to add
		want      string // the cycle returned
		wantAdded bool
	}{
		{name: "first edge", giveEdge: "AB", wantAdded: true},
		{name: "agrees with order", give: "AB", giveEdge: "BC", wantAdded: true},
		{name: "against order, acyclic", give: "AB", giveEdge: "CA", wantAdded: true},
		{name: "existing edge", give: "AB", giveEdge: "AB"},
		{name: "self edge", giveEdge: "AA", want: "A→A", wantAdded: true},
		{name: "two-cycle", give: "AB", giveEdge: "BA", want: "B→A A→B", wantAdded: true},
		{name: "three-cycle", give: "BC CA", giveEdge: "AB", want: "A→B B→C C→A", wantAdded: true},
		{name: "shortest cycle chosen", give: "BC CD DE EA BE", giveEdge: "AB", want: "A→B B→E E→A", wantAdded: true},
		{name: "remembered cycle edge", give: "AB BA", giveEdge: "BA"},
		{name: "cycle edges stay out of later cycles", give: "AB BA AC", giveEdge: "CB", wantAdded: true},
		{name: "reorder then cycle", give: "CD BC AB", giveEdge: "DA", want: "D→A A→B B→C C→D", wantAdded: true},
		{name: "diamond against order", give: "BD CD DE", giveEdge: "EA", wantAdded: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, n, names := letters(5)
			addAll(t, g, n, tt.give)
			from, to := n[tt.giveEdge[:1]], n[tt.giveEdge[1:]]
			cycle, added := g.AddEdge(from, to, 99)
			if got := fmtEdges(cycle, names); got != tt.want || added != tt.wantAdded {
				t.Errorf("AddEdge(%s, %s) = %q, %v, want %q, %v", tt.giveEdge[:1], tt.giveEdge[1:], got, added, tt.want, tt.wantAdded)
			}
			if added && !g.HasEdge(from, to) {
				t.Errorf("HasEdge(%s, %s) = false after AddEdge, want true", tt.giveEdge[:1], tt.giveEdge[1:])
			}
			if err := g.CheckInvariants(); err != nil {
				t.Errorf("CheckInvariants() = %v, want nil", err)
			}
		})
	}
}

func TestCycleData(t *testing.T) {
	g, n, _ := letters(3)
	g.AddEdge(n["B"], n["C"], 10)
	g.AddEdge(n["C"], n["A"], 20)
	cycle, _ := g.AddEdge(n["A"], n["B"], 30)
	want := []Edge{{n["A"], n["B"], 30}, {n["B"], n["C"], 10}, {n["C"], n["A"], 20}}
	if len(cycle) != len(want) {
		t.Fatalf("AddEdge(A, B) = %v, want %v", cycle, want)
	}
	for i := range want {
		if cycle[i] != want[i] {
			t.Errorf("AddEdge(A, B)[%d] = %+v, want %+v", i, cycle[i], want[i])
		}
	}
	if d, ok := g.EdgeData(n["A"], n["B"]); d != 30 || !ok {
		t.Errorf("EdgeData(A, B) = %d, %v, want 30, true", d, ok)
	}
	if !g.IsCycleEdge(n["A"], n["B"]) || g.IsCycleEdge(n["B"], n["C"]) {
		t.Errorf("IsCycleEdge(A, B), IsCycleEdge(B, C) = %v, %v, want true, false",
			g.IsCycleEdge(n["A"], n["B"]), g.IsCycleEdge(n["B"], n["C"]))
	}
}

func TestStaleNodes(t *testing.T) {
	g := New()
	a, b := g.NewNode(), g.NewNode()
	g.AddEdge(a, b, 1)
	g.RemoveNode(a)
	c := g.NewNode() // reuses a's slot
	tests := []struct {
		name string
		give func() bool
		want bool
	}{
		{"slot reused", func() bool { return c.Index() == a.Index() }, true},
		{"new generation", func() bool { return c != a }, true},
		{"Contains(stale)", func() bool { return g.Contains(a) }, false},
		{"Contains(zero)", func() bool { return g.Contains(0) }, false},
		{"Contains(unknown slot)", func() bool { return g.Contains(makeNode(7, 1)) }, false},
		{"Contains(new)", func() bool { return g.Contains(c) }, true},
		{"HasEdge(stale, b)", func() bool { return g.HasEdge(a, b) }, false},
		{"HasEdge(new, b)", func() bool { return g.HasEdge(c, b) }, false},
		{"AddEdge(stale, b) added", func() bool { _, ok := g.AddEdge(a, b, 2); return ok }, false},
		{"AddEdge(b, stale) added", func() bool { _, ok := g.AddEdge(b, a, 2); return ok }, false},
		{"Path(stale, b) non-nil", func() bool { return g.Path(a, b) != nil }, false},
		{"NumEdges() == 0", func() bool { return g.NumEdges() == 0 }, true},
		{"NumNodes() == 2", func() bool { g.RemoveNode(a); return g.NumNodes() == 2 }, true},
	}
	for _, tt := range tests {
		if got := tt.give(); got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, got, tt.want)
		}
	}
	if err := g.CheckInvariants(); err != nil {
		t.Errorf("CheckInvariants() = %v, want nil", err)
	}
}

func TestRemoveNode(t *testing.T) {
	tests := []struct {
		name      string
		give      string // edges; "BA" after "AB" becomes a cycle edge
		giveNode  string
		wantEdges string
	}{
		{name: "middle of chain", give: "AB BC CD", giveNode: "B", wantEdges: "C→D"},
		{name: "with cycle edge", give: "AB BC CA", giveNode: "C", wantEdges: "A→B"},
		{name: "cycle edge other end", give: "AB BC CA", giveNode: "D", wantEdges: "A→B B→C C→A"},
		{name: "self edge", give: "AA AB", giveNode: "A", wantEdges: ""},
		{name: "hub", give: "AE BE CE ED", giveNode: "E", wantEdges: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, n, names := letters(5)
			addAll(t, g, n, tt.give)
			g.RemoveNode(n[tt.giveNode])
			if got := fmtEdges(g.Edges(), names); got != tt.wantEdges {
				t.Errorf("Edges() after RemoveNode(%s) = %q, want %q", tt.giveNode, got, tt.wantEdges)
			}
			if err := g.CheckInvariants(); err != nil {
				t.Errorf("CheckInvariants() = %v, want nil", err)
			}
		})
	}
}

func TestPath(t *testing.T) {
	tests := []struct {
		name     string
		give     string
		giveFrom string
		giveTo   string
		want     string
	}{
		{name: "direct", give: "AB", giveFrom: "A", giveTo: "B", want: "A→B"},
		{name: "none", give: "AB", giveFrom: "B", giveTo: "A", want: ""},
		{name: "shortest", give: "AB BC CD AD", giveFrom: "A", giveTo: "D", want: "A→D"},
		{name: "ascending tie break", give: "AC CD AB BD", giveFrom: "A", giveTo: "D", want: "A→B B→D"},
		{name: "through cycle edge", give: "AB BA", giveFrom: "B", giveTo: "A", want: "B→A"},
		{name: "cycle through self", give: "AB BC CA", giveFrom: "A", giveTo: "A", want: "A→B B→C C→A"},
		{name: "no cycle through self", give: "AB", giveFrom: "A", giveTo: "A", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, n, names := letters(5)
			addAll(t, g, n, tt.give)
			if got := fmtEdges(g.Path(n[tt.giveFrom], n[tt.giveTo]), names); got != tt.want {
				t.Errorf("Path(%s, %s) = %q, want %q", tt.giveFrom, tt.giveTo, got, tt.want)
			}
		})
	}
}

func TestSuccessors(t *testing.T) {
	tests := []struct {
		name string
		give string
		node string
		want string
	}{
		{name: "in order", give: "AC AB BC", node: "A", want: "BC"},
		{name: "with a cycle-closing edge", give: "AB BA BC", node: "B", want: "AC"},
		{name: "none", give: "AB", node: "B", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, n, names := letters(5)
			addAll(t, g, n, tt.give)
			var got string
			for _, m := range g.Successors(n[tt.node], nil) {
				got += names[m]
			}
			if got != tt.want {
				t.Errorf("Successors(%s) = %q, want %q", tt.node, got, tt.want)
			}
		})
	}
}

func TestNeighborhood(t *testing.T) {
	tests := []struct {
		name      string
		give      string
		giveNodes string
		giveDepth int
		want      string
	}{
		{name: "depth 0", give: "AB BC", giveNodes: "B", giveDepth: 0, want: "B"},
		{name: "depth 1 both directions", give: "AB BC CD", giveNodes: "B", giveDepth: 1, want: "ABC"},
		{name: "depth 2", give: "AB BC CD DE", giveNodes: "A", giveDepth: 2, want: "ABC"},
		{name: "duplicates", give: "AB", giveNodes: "AAB", giveDepth: 1, want: "AB"},
		{name: "cycle edge", give: "AB BA CD", giveNodes: "A", giveDepth: 5, want: "AB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, n, names := letters(5)
			addAll(t, g, n, tt.give)
			var nodes []Node
			for _, c := range tt.giveNodes {
				nodes = append(nodes, n[string(c)])
			}
			var got string
			for _, m := range g.Neighborhood(nodes, tt.giveDepth) {
				got += names[m]
			}
			if got != tt.want {
				t.Errorf("Neighborhood(%s, %d) = %q, want %q", tt.giveNodes, tt.giveDepth, got, tt.want)
			}
		})
	}
}

func TestDotQuote(t *testing.T) {
	tests := []struct {
		give string
		want string
	}{
		{give: "mu", want: `"mu"`},
		{give: `a"b`, want: `"a\"b"`},
		{give: `C:\x`, want: `"C:\\x"`},
		{give: "f()\n\tx.go:1", want: `"f()\l` + "\t" + `x.go:1\l"`},
		{give: "a\r\nb\n", want: `"a\lb\l"`},
		{give: "bad\xff", want: "\"bad\uFFFD\""},
		{give: "<html>", want: `"<html>"`},
	}
	for _, tt := range tests {
		if got := dotQuote(tt.give); got != tt.want {
			t.Errorf("dotQuote(%q) = %s, want %s", tt.give, got, tt.want)
		}
	}
}

func TestWriteDOTGolden(t *testing.T) {
	g, n, names := letters(5)
	addAll(t, g, n, "AB BC CA CD AA DE")
	var buf bytes.Buffer
	nodes := []Node{n["D"], n["A"], n["B"], n["C"], n["A"]} // E excluded, A duplicated
	err := g.WriteDOT(&buf, nodes,
		func(m Node) string { return `mutex "` + names[m] + `"` },
		func(e Edge) string { return "stack " + names[e.From] + names[e.To] + "\nmain.go:1\\n" })
	if err != nil {
		t.Fatalf("WriteDOT() = %v, want nil", err)
	}
	// Default labels.
	buf.WriteString("\n")
	if err := g.WriteDOT(&buf, []Node{n["A"], n["B"]}, nil, nil); err != nil {
		t.Fatalf("WriteDOT() = %v, want nil", err)
	}
	golden := filepath.Join("testdata", "graph.dot.golden")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("reading golden file (run with -update to create it): %v", err)
	}
	if got := buf.String(); got != string(want) {
		t.Errorf("WriteDOT() =\n%s\nwant\n%s", got, want)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

func TestWriteDOTError(t *testing.T) {
	g := New()
	if err := g.WriteDOT(failWriter{}, []Node{g.NewNode()}, nil, nil); err != os.ErrClosed {
		t.Errorf("WriteDOT(failing writer) = %v, want %v", err, os.ErrClosed)
	}
}

func TestCheckInvariantsDetectsCorruption(t *testing.T) {
	tests := []struct {
		name    string
		corrupt func(g *Graph)
	}{
		{"order violated", func(g *Graph) { g.slots[0].rank, g.slots[1].rank = g.slots[1].rank, g.slots[0].rank }},
		{"duplicate rank", func(g *Graph) { g.slots[2].rank = g.slots[0].rank }},
		{"missing in-edge", func(g *Graph) { g.slots[1].in = nil }},
		{"missing table entry", func(g *Graph) { delete(g.edges, key(0, 1)) }},
		{"node count", func(g *Graph) { g.numNodes++ }},
		{"visited left set", func(g *Graph) { g.slots[2].visited = true }},
		{"cycle table", func(g *Graph) { delete(g.cyc, key(2, 0)) }},
		{"list position", func(g *Graph) {
			e := g.edges[key(0, 1)]
			e.inPos++
			g.edges[key(0, 1)] = e
		}},
	}
	for _, tt := range tests {
		g := New()
		a, b, c := g.NewNode(), g.NewNode(), g.NewNode()
		g.AddEdge(a, b, 0)
		g.AddEdge(b, c, 0)
		g.AddEdge(c, a, 0)
		if err := g.CheckInvariants(); err != nil {
			t.Fatalf("CheckInvariants() before %s = %v, want nil", tt.name, err)
		}
		tt.corrupt(g)
		if err := g.CheckInvariants(); err == nil {
			t.Errorf("CheckInvariants() after %s = nil, want an error", tt.name)
		}
	}
}

func TestAddExistingEdgeAllocs(t *testing.T) {
	g := New()
	a, b := g.NewNode(), g.NewNode()
	g.AddEdge(a, b, 1)
	g.AddEdge(b, a, 2) // remembered cycle edge
	allocs := testing.AllocsPerRun(1000, func() {
		g.AddEdge(a, b, 1)
		g.AddEdge(b, a, 2)
	})
	if allocs != 0 {
		t.Errorf("AddEdge(existing) allocs = %v, want 0", allocs)
	}
}

func TestNodeString(t *testing.T) {
	tests := []struct {
		give Node
		want string
	}{
		{give: makeNode(0, 1), want: "n0.1"},
		{give: makeNode(42, 7), want: "n42.7"},
		{give: 0, want: "n0.0"},
	}
	for _, tt := range tests {
		if got := tt.give.String(); got != tt.want {
			t.Errorf("Node(%#x).String() = %q, want %q", uint64(tt.give), got, tt.want)
		}
	}
}

func TestGenerationRetiresSlot(t *testing.T) {
	g := New()
	n := g.NewNode()
	g.slots[n.slot()].gen = maxGen // as if reused 2^32-2 times
	n = makeNode(n.slot(), maxGen)
	g.RemoveNode(n)
	m := g.NewNode()
	if m.Index() == n.Index() {
		t.Errorf("NewNode() = %v reuses retired slot of %v, want a new slot", m, n)
	}
	if err := g.CheckInvariants(); err != nil {
		t.Errorf("CheckInvariants() = %v, want nil", err)
	}
}

func TestNodeEdges(t *testing.T) {
	g := New()
	a, b, c, x := g.NewNode(), g.NewNode(), g.NewNode(), g.NewNode()
	g.AddEdge(a, b, 1)
	g.AddEdge(b, c, 2)
	g.AddEdge(c, b, 3) // closes a cycle: remembered
	g.AddEdge(b, b, 4) // self edge
	tests := []struct {
		give Node
		want []Edge
	}{
		{give: a, want: []Edge{{a, b, 1}}},
		{give: b, want: []Edge{{a, b, 1}, {b, b, 4}, {b, c, 2}, {c, b, 3}}},
		{give: c, want: []Edge{{b, c, 2}, {c, b, 3}}},
		{give: x, want: nil},
	}
	for _, tt := range tests {
		if got := g.NodeEdges(tt.give); !slices.Equal(got, tt.want) {
			t.Errorf("NodeEdges(%v) = %v, want %v", tt.give, got, tt.want)
		}
	}
	g.RemoveNode(b)
	if got := g.NodeEdges(b); got != nil {
		t.Errorf("NodeEdges(removed) = %v, want nil", got)
	}
	if got := g.NodeEdges(a); got != nil {
		t.Errorf("NodeEdges(a) after RemoveNode(b) = %v, want nil", got)
	}
}

func TestCompactKeepsTheGraph(t *testing.T) {
	g := New()
	var ns []Node
	for i := 0; i < 100; i++ {
		ns = append(ns, g.NewNode())
	}
	for i := 0; i+1 < len(ns); i++ {
		g.AddEdge(ns[i], ns[i+1], uint64(i))
	}
	g.AddEdge(ns[99], ns[0], 99) // closes a cycle: remembered
	for _, n := range ns[10:90] {
		g.RemoveNode(n)
	}
	before := g.Edges()
	g.Compact()
	if err := g.CheckInvariants(); err != nil {
		t.Fatalf("CheckInvariants() after Compact = %v", err)
	}
	if got := g.Edges(); !slices.Equal(got, before) {
		t.Errorf("Edges() after Compact = %v, want %v", got, before)
	}
	if !g.IsCycleEdge(ns[99], ns[0]) {
		t.Error("IsCycleEdge(99, 0) after Compact = false, want true")
	}
	if cycle, _ := g.AddEdge(ns[9], ns[0], 0); cycle == nil {
		t.Error("AddEdge(9, 0) after Compact found no cycle, want 0→…→9→0")
	}
}
