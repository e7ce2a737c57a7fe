package report

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// WriteDOT writes the lock-order graph around the reported cycles as a
// Graphviz digraph (dot -Tsvg renders it):
//
//   - a box for each lock, labelled with its name, type and where it was
//     first used;
//   - an edge From -> To for each lock-order edge of a report, labelled
//     with the sites where From and then To were taken; the edges of
//     lock-order cycles are red and bold;
//   - for deadlock reports, an ellipse for each goroutine, a dashed edge
//     goroutine -> lock labelled "waits" and an edge lock -> goroutine
//     labelled "held by", in red, so that the deadlock shows as a cycle.
//
// Locks and goroutines of the same name are one node across reports. The
// output is deterministic: nodes and edges are sorted.
func WriteDOT(w io.Writer, reps []Report) error {
	g := dotGraph{nodes: map[string]*dotNode{}, edges: map[dotEdgeKey]*dotEdge{}}
	for i := range reps {
		g.add(&reps[i])
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("digraph gridlock {\n")
	bw.WriteString("\trankdir=LR;\n")
	bw.WriteString("\tnode [fontname=\"Helvetica\", fontsize=10];\n")
	bw.WriteString("\tedge [fontname=\"Helvetica\", fontsize=9];\n")
	ids := make([]string, 0, len(g.nodes))
	for id := range g.nodes {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		n := g.nodes[id]
		fmt.Fprintf(bw, "\t%s [shape=%s, label=%s];\n", dotQuote(id), n.shape, dotLabel(n.label...))
	}
	keys := make([]dotEdgeKey, 0, len(g.edges))
	for k := range g.edges {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b dotEdgeKey) int {
		return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to), cmp.Compare(a.label, b.label))
	})
	for _, k := range keys {
		e := g.edges[k]
		attrs := []string{"label=" + dotLabel(strings.Split(k.label, "\n")...)}
		if e.style != "" {
			attrs = append(attrs, "style="+e.style)
		}
		if e.highlight {
			attrs = append(attrs, `color="red"`, `fontcolor="red"`, "penwidth=2")
		}
		slices.Sort(e.reports)
		attrs = append(attrs, "tooltip="+dotQuote(strings.Join(slices.Compact(e.reports), ", ")))
		fmt.Fprintf(bw, "\t%s -> %s [%s];\n", dotQuote(k.from), dotQuote(k.to), strings.Join(attrs, ", "))
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

type dotGraph struct {
	nodes map[string]*dotNode
	edges map[dotEdgeKey]*dotEdge
}

type dotNode struct {
	shape string
	label []string
}

type dotEdgeKey struct{ from, to, label string }

type dotEdge struct {
	style     string
	highlight bool
	reports   []string // kind and id of the reports that have the edge
}

func (g *dotGraph) add(r *Report) {
	id := r.ID
	if id == "" {
		id = r.CauseID()
	}
	name := string(r.Kind) + " " + id
	for _, e := range r.Edges {
		from, to := g.lock(r, e.From), g.lock(r, e.To)
		label := dotSite(e.FromStack) + "\nthen " + dotSite(e.ToStack)
		g.edge(from, to, label, "", r.Kind == LockOrderCycle, name)
	}
	if r.Kind != Deadlock {
		return
	}
	for _, gr := range r.Goroutines {
		gid := "goroutine " + strconv.FormatInt(gr.ID, 10)
		if g.nodes[gid] == nil {
			label := []string{gid}
			if gr.State != "" {
				label = append(label, gr.State)
			}
			g.nodes[gid] = &dotNode{shape: "ellipse", label: label}
		}
		if gr.WaitsFor != "" {
			label := "waits"
			if len(gr.WaitStack) > 0 {
				label += " at " + gr.WaitStack.Top().Site()
			}
			g.edge(gid, g.lock(r, gr.WaitsFor), label, "dashed", true, name)
		}
		for _, h := range gr.Holds {
			label := "held by"
			if h.Mode == "read" {
				label += " (read)"
			}
			if len(h.Stack) > 0 {
				label += ", taken at " + h.Stack.Top().Site()
			}
			g.edge(g.lock(r, h.Object), gid, label, "", true, name)
		}
	}
}

// lock returns the node id of the lock called name in r ("RWMutex#2
// (read)" is RWMutex#2), adding the node if needed.
func (g *dotGraph) lock(r *Report, name string) string {
	o, ok := findObject(r, name)
	if !ok {
		o = Object{Name: name}
	}
	id := "lock " + o.Name
	n := g.nodes[id]
	if n == nil {
		n = &dotNode{shape: "box"}
		g.nodes[id] = n
	}
	if len(n.label) < 2 { // not described yet
		n.label = []string{o.Name}
		if o.Type != "" {
			n.label = append(n.label, o.Type)
		}
		if o.Site != "" {
			n.label = append(n.label, "first used at "+o.Site)
		}
	}
	return id
}

func (g *dotGraph) edge(from, to, label, style string, highlight bool, report string) {
	k := dotEdgeKey{from, to, label}
	e := g.edges[k]
	if e == nil {
		e = &dotEdge{style: style}
		g.edges[k] = e
	}
	e.highlight = e.highlight || highlight
	e.reports = append(e.reports, report)
}

// dotSite is the short site of the top of s, or "(no stack)".
func dotSite(s Stack) string {
	if len(s) == 0 {
		return "(no stack)"
	}
	return s.Top().Site()
}

// dotEscaper escapes text for a DOT quoted string: a backslash would start
// an escape such as \N or \l in a label.
var dotEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", "")

// dotQuote returns s as a DOT quoted string, showing s as it is.
func dotQuote(s string) string { return `"` + dotEscaper.Replace(s) + `"` }

// dotLabel returns a DOT label of the given lines.
func dotLabel(lines ...string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, l := range lines {
		if i > 0 {
			b.WriteString(`\n`)
		}
		b.WriteString(dotEscaper.Replace(l))
	}
	b.WriteByte('"')
	return b.String()
}
