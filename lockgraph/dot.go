package lockgraph

import (
	"bufio"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// WriteDOT writes the subgraph induced by nodes (stale ids and duplicates
// are ignored) to w in Graphviz DOT syntax. Output is deterministic: nodes
// and edges are written in ascending order.
//
// nodeLabel and edgeLabel supply labels; a nil nodeLabel labels a node with
// Node.String, a nil edgeLabel labels an edge with its Data in decimal.
// Labels are escaped: quotes and backslashes are escaped and each line
// break becomes a left-justified line break (\l), so multi-line stack
// traces render as written. Remembered cycle-closing edges are drawn in red.
func (g *Graph) WriteDOT(w io.Writer, nodes []Node, nodeLabel func(Node) string, edgeLabel func(Edge) string) error {
	if nodeLabel == nil {
		nodeLabel = Node.String
	}
	if edgeLabel == nil {
		edgeLabel = func(e Edge) string { return strconv.FormatUint(e.Data, 10) }
	}
	var ns []Node
	for _, n := range nodes {
		if g.Contains(n) {
			ns = append(ns, n)
		}
	}
	slices.Sort(ns)
	ns = slices.Compact(ns)

	var es []Edge
	var nbrs []uint32
	for _, n := range ns {
		nbrs = nbrs[:0]
		s := &g.slots[n.slot()]
		nbrs = append(nbrs, s.out...)
		if s.cyc != nil {
			nbrs = append(nbrs, s.cyc.out...)
		}
		for _, v := range nbrs {
			to := g.node(v)
			if _, ok := slices.BinarySearch(ns, to); ok {
				es = append(es, Edge{n, to, g.edges[key(n.slot(), v)].data})
			}
		}
	}
	slices.SortFunc(es, compareEdges)

	bw := bufio.NewWriter(w)
	bw.WriteString("digraph lockgraph {\n\tnode [shape=box];\n")
	for _, n := range ns {
		bw.WriteString("\t" + dotID(n) + " [label=" + dotQuote(nodeLabel(n)) + "];\n")
	}
	for _, e := range es {
		bw.WriteString("\t" + dotID(e.From) + " -> " + dotID(e.To) + " [label=" + dotQuote(edgeLabel(e)))
		if g.IsCycleEdge(e.From, e.To) {
			bw.WriteString(", color=red, fontcolor=red")
		}
		bw.WriteString("];\n")
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

func dotID(n Node) string { return `"` + n.String() + `"` }

// dotQuote returns s as a DOT double-quoted string: backslashes and quotes
// are escaped, line breaks become \l (left-justified), carriage returns are
// dropped and invalid UTF-8 is replaced.
func dotQuote(s string) string {
	s = strings.ToValidUTF8(s, string(utf8.RuneError))
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\l`)
		case '\r':
		default:
			b.WriteByte(c)
		}
	}
	if strings.Contains(s, "\n") && !strings.HasSuffix(s, "\n") {
		b.WriteString(`\l`) // justify the last line like the others
	}
	b.WriteByte('"')
	return b.String()
}
