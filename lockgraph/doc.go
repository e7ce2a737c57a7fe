// Package lockgraph is the lock-order graph of the gridlock deadlock
// detector, with incremental cycle detection.
//
// # Edges
//
// Every lock is a Node. An Edge A→B means "lock B was acquired while lock A
// was held". A cycle of such edges is a potential deadlock: goroutines
// taking the locks in the orders recorded can block each other forever.
// Each edge carries a caller payload, Edge.Data (the detector stores the id
// of the interned stack trace where the edge was first seen).
//
// # Algorithm
//
// The graph keeps its acyclic edges in a topological order that it
// maintains incrementally with the dynamic topological sort of Pearce and
// Kelly ("A dynamic topological sort algorithm for directed acyclic
// graphs", JEA 2006), as Abseil's GraphCycles does. Every node has a rank;
// ranks are unique and every in-order edge goes from a lower to a higher
// rank. When an edge x→y is added:
//
//   - if rank(x) < rank(y) it already agrees with the order and is
//     appended to the adjacency lists in O(1);
//   - otherwise a forward search from y visits only nodes with rank below
//     rank(x). Reaching x means the edge closes a cycle. If not, a backward
//     search from x visits only nodes with rank above rank(y), and the two
//     visited sets are given the ranks they already occupy, backward set
//     first. The cost is proportional to the edges of the affected region
//     (plus sorting it), not to the size of the graph.
//
// An edge that would close a cycle is not put into the order. AddEdge
// returns the cycle (the new edge followed by a shortest path of in-order
// edges back to its source) and remembers the edge as cycle-closing:
// HasEdge reports it, later AddEdge calls for it are O(1) no-ops, Path,
// Neighborhood and WriteDOT (in red) show it, but it never takes part in
// later cycle searches or reorderings. So each reported cycle contains
// exactly one cycle-closing edge, the one that closed it.
//
// # Complexity
//
// Looking up a known edge (AddEdge of an existing edge, HasEdge, EdgeData)
// is one hash-map lookup and does not allocate. Adding a new edge is O(1)
// when it agrees with the order, and otherwise linear in the affected
// region described above. RemoveNode costs the degrees of the node's
// neighbours (it unlinks itself from their adjacency lists). NewNode and
// Contains are O(1). No operation on a node scans the whole graph; Edges
// and CheckInvariants do, by design.
//
// # Node ids
//
// A Node packs a slot index (low 32 bits) and a generation (high 32 bits).
// Removing a node frees its slot, and the next NewNode reuses it with the
// generation incremented, so the id of a removed node is never confused
// with its successor: every method treats stale ids as unknown (AddEdge
// returns (nil, false), RemoveNode does nothing, Contains reports false).
// A slot whose generation is exhausted is retired rather than reused.
// Node.Index gives the dense slot index for side tables.
//
// # Concurrency
//
// A Graph is not safe for concurrent use, including concurrent readers
// (searches use marks stored in the nodes). The caller must serialise all
// calls; the detector holds its own sync.Mutex around them and keeps a
// lock-free cache of known edges so that the hot path rarely gets here.
//
// # Memory
//
// Edges live in one map from (from slot, to slot) to Data, plus one uint32
// in the source's out list and one in the target's in list. Measured with
// BenchmarkAddNewEdge (Go 1.26, amd64, heap growth after GC) that is 36 to
// 50 bytes per edge depending on where the map is in its growth cycle
// (about 49 bytes per edge for 10^6 edges over 10^5 nodes), plus about 72
// bytes per node slot. Cycle-closing edges cost a little more (a second
// map entry and a small side structure on their nodes), but they are rare.
package lockgraph
