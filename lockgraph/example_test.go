package lockgraph_test

import (
	"fmt"
	"os"

	"github.com/gridlock-go/gridlock/lockgraph"
)

func Example() {
	g := lockgraph.New()
	name := map[lockgraph.Node]string{}
	a, b, c := g.NewNode(), g.NewNode(), g.NewNode()
	name[a], name[b], name[c] = "A", "B", "C"

	g.AddEdge(a, b, 1) // B locked while holding A
	g.AddEdge(b, c, 2) // C locked while holding B
	cycle, added := g.AddEdge(c, a, 3)
	fmt.Println("added:", added)
	for _, e := range cycle {
		fmt.Printf("%s→%s (stack %d)\n", name[e.From], name[e.To], e.Data)
	}
	_, added = g.AddEdge(c, a, 3)
	fmt.Println("added again:", added, "edges:", g.NumEdges())
	// Output:
	// added: true
	// C→A (stack 3)
	// A→B (stack 1)
	// B→C (stack 2)
	// added again: false edges: 3
}

func ExampleGraph_WriteDOT() {
	g := lockgraph.New()
	mu, rw := g.NewNode(), g.NewNode()
	g.AddEdge(mu, rw, 7)
	g.AddEdge(rw, mu, 8) // closes a cycle: drawn in red
	label := map[lockgraph.Node]string{mu: "cache.mu", rw: `db "rw"`}
	g.WriteDOT(os.Stdout, []lockgraph.Node{mu, rw},
		func(n lockgraph.Node) string { return label[n] },
		func(e lockgraph.Edge) string { return fmt.Sprintf("stack #%d", e.Data) })
	// Output:
	// digraph lockgraph {
	// 	node [shape=box];
	// 	"n0.1" [label="cache.mu"];
	// 	"n1.1" [label="db \"rw\""];
	// 	"n0.1" -> "n1.1" [label="stack #7"];
	// 	"n1.1" -> "n0.1" [label="stack #8", color=red, fontcolor=red];
	// }
}

func ExampleGraph_RemoveNode() {
	g := lockgraph.New()
	a := g.NewNode()
	g.RemoveNode(a)
	b := g.NewNode() // reuses the slot with a new generation
	fmt.Println(a, b, g.Contains(a), g.Contains(b))
	// Output:
	// n0.1 n0.2 false true
}
