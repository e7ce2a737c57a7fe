//go:build !gridlock_off

package detect_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/gridlock-go/gridlock/detect"
)

// Scale and memory: gridlock's state must follow the program's live locks
// (short-lived locks are forgotten when they are collected), a known edge
// must cost the same in a graph of 10^3 or 10^6 edges, and a new edge must
// cost about the same too.
//
//	go test -run '^$' -bench 'Churn|Edge' -benchtime 1x ./detect      # churn (10M mutexes)
//	go test -run '^$' -bench 'NewEdge|ExistingEdge' -benchtime 20000x ./detect
//	go test -run 'TestChurnMemory|TestScale100k' -v ./detect

var (
	churnBench = flag.Int("churn", 10_000_000, "mutexes created by BenchmarkChurn")
	churnTest  = flag.Int("churntest", 1_000_000, "mutexes created by TestChurnMemory (a sixteenth of it under -race)")
	scaleLocks = flag.Int("scalelocks", 100_000, "live locks of TestScale100k")
	scaleGs    = flag.Int("scalegoroutines", 10_000, "goroutines of TestScale100k")
	scaleSlice = flag.Bool("scaleslice", false, "TestScale100k allocates its locks as one []detect.Mutex instead of one by one")
)

// raceEnabled reports whether the test binary was built with -race (its
// build settings say so): the race detector makes every lock ~10x slower and
// every allocation bigger, so the fixed-count tests do less under it.
var raceEnabled = func() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" && s.Value == "true" {
			return true
		}
	}
	return false
}()

// churnAllowance is how much more heap than twice the detector-off run the
// detector may keep after a churn, once the churned locks are collected. It
// covers state that is sized by the peak rather than by what is live:
//   - Go maps never shrink: the graph's edge map, the detector's edgeInfo and
//     nodeMeta maps keep the buckets they had when the most locks were
//     awaiting collection (up to a few hundred thousand between two GCs);
//   - the graph's node slot array and its free list keep their peak length
//     (slots are reused, not released);
//   - the goroutine registry (256 shards, a 4096-entry cache) and the
//     interned stacks (a handful here: every churned edge has the same two
//     call sites);
//   - the cleanup queue's blocks and the GC's own metadata for them.
//
// What it does not cover: anything per churned lock. A record, node, edge
// or stack kept per collected mutex would be 100+ bytes x 10^6 locks, far
// above it (and the node/edge counts are checked exactly).
const churnAllowance = 64 << 20

// churnWorkers is how many goroutines churn; they are also the long-lived
// locks, which form a cycle of that length.
const churnWorkers = 3

// churnResult is what one churn run measured.
type churnResult struct {
	heapInuse uint64 // after two GCs and the cleanups, before the detector is dropped
	heapAlloc uint64
	stats     detect.Stats // zero with the detector off
	reports   []detect.Report
	// cycleMidway: the long-lived locks' cycle had been reported (the sink
	// had written it) while churn workers were still running.
	cycleMidway bool
	perMutex    time.Duration
	// peakNodes is the most graph nodes seen during the churn: the locks
	// created and not yet collected, or collected and awaiting their
	// cleanup. The maps are sized by it.
	peakNodes int
}

// churn runs the churn program: workers goroutines create n short-lived
// mutexes between them, locking each new one while holding another new one
// (so that every pair is a new lock-order edge between two new graph nodes),
// every 1024th pair under one of the long-lived locks (an edge from a
// long-lived node to short-lived ones: the long-lived node's adjacency must
// shrink back when they are collected). A third of the way through, each worker w takes
// long[w] then long[w+1 mod workers], so the long-lived locks form a cycle of
// length workers: a real lock-order inversion, reported while the churn goes
// on. With d nil the detector is off.
func churn(tb testing.TB, d *detect.Detector, n int) churnResult {
	tb.Helper()
	const workers = churnWorkers
	var long [workers]detect.Mutex
	var res churnResult
	var stop func()
	if d != nil {
		stop = d.Start()
	}
	begin := time.Now()
	var running atomic.Int32
	running.Store(workers)
	var midway atomic.Int32 // workers past the inversion
	var sawCycle atomic.Bool
	peak := 0
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			defer running.Add(-1)
			pairs := n / 2 / workers
			for i := range pairs {
				if i == pairs/3 {
					long[w].Lock()
					long[(w+1)%workers].Lock()
					long[(w+1)%workers].Unlock()
					long[w].Unlock()
					if midway.Add(1) == workers && d != nil {
						// The last worker to invert closed the cycle: its
						// report must be out while the others still churn.
						// Reports flushes the sink; it does not stop anybody.
						for _, r := range d.Reports() {
							if r.Kind == detect.KindLockOrderCycle && running.Load() == workers {
								sawCycle.Store(true)
							}
						}
					}
				}
				if w == 0 && d != nil && i%8192 == 0 {
					if n := d.Stats().Nodes; n > peak {
						peak = n // only worker 0 writes it
					}
				}
				a, b := new(detect.Mutex), new(detect.Mutex)
				if i%1024 == 0 {
					l := &long[(w+i/1024)%workers]
					l.Lock()
					a.Lock()
					b.Lock()
					b.Unlock()
					a.Unlock()
					l.Unlock()
					continue
				}
				a.Lock()
				b.Lock()
				b.Unlock()
				a.Unlock()
			}
		})
	}
	wg.Wait()
	res.perMutex = time.Since(begin) / time.Duration(max(n, 1))
	res.cycleMidway = sawCycle.Load()
	res.peakNodes = peak
	if d != nil {
		// The long-lived locks stay in the graph: 3 nodes, 3 edges (two in
		// order, the cycle-closing one). Everything else must go.
		// Stop at 3 nodes, or when the count has not moved for 20 looks.
		want, last, still := workers, -1, 0
		for i := 0; i < 300 && still < 20; i++ { // up to ~3s and 300 GCs
			runtime.GC()
			st := d.Stats()
			if st.Nodes <= want && st.Edges <= want {
				break
			}
			if st.Nodes == last {
				still++
			} else {
				last, still = st.Nodes, 0
			}
			time.Sleep(10 * time.Millisecond) // cleanups run on their own goroutine
		}
		res.reports = d.Reports()
	}
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	res.heapInuse, res.heapAlloc = ms.HeapInuse, ms.HeapAlloc
	if d != nil {
		res.stats = d.Stats()
		stop()
	}
	runtime.KeepAlive(&long)
	return res
}

// churnCompare runs the churn with the detector off, then on, in this
// process, and checks that the detector's memory went back down.
func churnCompare(tb testing.TB, n int) (off, on churnResult) {
	off = churn(tb, nil, n)
	d := detect.New(detect.WithLog(detect.LogOff))
	on = churn(tb, d, n)
	d.Close()
	runtime.KeepAlive(d) // the measurement above included the detector

	tb.Logf("churn of %d mutexes: heap in use %.1f MiB off, %.1f MiB on (alloc %.1f / %.1f MiB); %v/mutex off, %v/mutex on; peak %d nodes; after: %d nodes, %d edges, %d stacks, %d goroutine states",
		n, mib(off.heapInuse), mib(on.heapInuse), mib(off.heapAlloc), mib(on.heapAlloc),
		off.perMutex, on.perMutex, on.peakNodes, on.stats.Nodes, on.stats.Edges, on.stats.Stacks, on.stats.Goroutines)
	if limit := 2*off.heapInuse + churnAllowance; on.heapInuse > limit {
		tb.Errorf("heap in use after the churn with gridlock = %.1f MiB, want <= 2 x %.1f MiB (detector off) + %.0f MiB allowance",
			mib(on.heapInuse), mib(off.heapInuse), mib(churnAllowance))
	}
	// The long-lived locks and their cycle: 3 nodes, 3 edges; nothing of
	// the churned locks (TestUnlockedLocksAreCollected is the small case).
	if on.stats.Nodes != 3 || on.stats.Edges != 3 {
		tb.Errorf("graph after the churn = %d nodes, %d edges; want 3 and 3 (the long-lived locks and their cycle)",
			on.stats.Nodes, on.stats.Edges)
	}
	if on.stats.Stacks > 64 {
		tb.Errorf("%d interned stacks after the churn, want a few: the churned edges have the same call sites", on.stats.Stacks)
	}
	var cycles []detect.Report
	for _, r := range on.reports {
		if r.Kind == detect.KindLockOrderCycle {
			cycles = append(cycles, r)
		} else {
			tb.Errorf("unexpected %s report: %s", r.Kind, r.Summary)
		}
	}
	if len(cycles) != 1 || len(cycles[0].Edges) != 3 {
		tb.Errorf("lock-order-cycle reports = %d (%v), want 1 cycle of the 3 long-lived locks", len(cycles), kinds(on.reports))
	}
	if !on.cycleMidway {
		tb.Errorf("the long-lived locks' cycle was not reported while the churn was going on")
	}
	if off.cycleMidway || len(off.reports) != 0 {
		tb.Errorf("detector off: reports %v", kinds(off.reports))
	}
	return off, on
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

// TestChurnMemory: a million short-lived mutexes, each pair a new edge.
func TestChurnMemory(t *testing.T) {
	if detect.Enabled() {
		t.Skip("a detector is active (GRIDLOCK is set): the detector-off run cannot be measured")
	}
	n := *churnTest
	if raceEnabled {
		n /= 16
	}
	churnCompare(t, n)
}

// BenchmarkChurn is TestChurnMemory at 10^7 mutexes (-churn). Its cost does
// not depend on b.N: each iteration is the whole experiment; run it with
// -benchtime 1x.
func BenchmarkChurn(b *testing.B) {
	if detect.Enabled() {
		b.Skip("a detector is active (GRIDLOCK is set)")
	}
	var off, on churnResult
	for range b.N {
		off, on = churnCompare(b, *churnBench)
	}
	b.ReportMetric(mib(off.heapInuse), "MiB-heap-off")
	b.ReportMetric(mib(on.heapInuse), "MiB-heap-on")
	b.ReportMetric(float64(off.perMutex.Nanoseconds()), "ns/mutex-off")
	b.ReportMetric(float64(on.perMutex.Nanoseconds()), "ns/mutex-on")
	b.ReportMetric(float64(on.peakNodes), "peak-nodes")
}

// edgeGraph is a lock-order graph of about size edges built from real
// mutexes: m[i] -> m[i+k] for k = 1..deg, all in index order (no cycle).
// The nodes are made in index order, so every edge agrees with the graph's
// topological order.
type edgeGraph struct {
	d      *detect.Detector
	stop   func()
	m      []*detect.Mutex // allocated one by one: see TestScale100k's -scaleslice
	deg    int
	edges  int
	bytes  float64 // heap growth per edge, gridlock's part (the mutexes themselves excluded)
	next   int     // for new edges: the next op
	frozen bool
}

func buildEdgeGraph(tb testing.TB, size int) *edgeGraph {
	tb.Helper()
	if detect.Enabled() {
		tb.Skip("a detector is active (GRIDLOCK is set)")
	}
	nm := max(1000, size/8)
	deg := max(1, size/nm) // at most 8: every predecessor fits the per-lock cache
	g := &edgeGraph{d: detect.New(detect.WithLog(detect.LogOff)), deg: deg}
	var before, after runtime.MemStats
	settleHeap(&before)
	g.stop = g.d.Start()
	g.m = make([]*detect.Mutex, nm)
	for i := range g.m {
		g.m[i] = new(detect.Mutex)
	}
	for k := 1; k <= deg; k++ {
		for i := 0; i+k < nm; i++ {
			g.m[i].Lock()
			g.m[i+k].Lock()
			g.m[i+k].Unlock()
			g.m[i].Unlock()
		}
	}
	settleHeap(&after)
	st := g.d.Stats()
	g.edges = st.Edges
	mutexes := uintptr(nm) * (unsafe.Sizeof(detect.Mutex{}) + unsafe.Sizeof(&detect.Mutex{}))
	g.bytes = (float64(after.HeapAlloc) - float64(before.HeapAlloc) - float64(mutexes)) / float64(g.edges)
	if st.Nodes != nm {
		tb.Fatalf("graph of %d mutexes has %d nodes", nm, st.Nodes)
	}
	return g
}

// settleHeap collects until the heap stops shrinking and reads it: the
// locks of a previous detector are freed by cleanups after a GC, and the
// detector itself only when its last cleanup has run.
func settleHeap(ms *runtime.MemStats) {
	runtime.GC()
	runtime.ReadMemStats(ms)
	for range 50 {
		time.Sleep(5 * time.Millisecond)
		runtime.GC()
		prev := ms.HeapAlloc
		runtime.ReadMemStats(ms)
		if ms.HeapAlloc+64<<10 >= prev {
			return
		}
	}
}

func (g *edgeGraph) close(tb testing.TB) {
	g.stop()
	if r := g.d.Reports(); len(r) != 0 {
		tb.Errorf("reports = %v, want none", kinds(r))
	}
	g.d.Close()
}

// newEdge adds one edge that is not in the graph yet and keeps the order:
// m[i] -> m[i+k] with k > deg.
func (g *edgeGraph) newEdge() {
	half := len(g.m) / 2
	t := g.next
	g.next++
	i := t % half
	j := i + g.deg + 1 + t/half
	if j >= len(g.m) {
		panic("edgeGraph: out of new edges; use a smaller -benchtime")
	}
	g.m[i].Lock()
	g.m[j].Lock()
	g.m[j].Unlock()
	g.m[i].Unlock()
}

var edgeSizes = []int{1e3, 1e4, 1e5, 1e6}

// BenchmarkNewEdge times Lock of a mutex while holding another when the pair
// is a new edge: the slow path (graph mutex, full stack, interning, graph
// insertion). The graph grows by b.N edges during the run: keep b.N small
// next to the size (-benchtime 20000x).
func BenchmarkNewEdge(b *testing.B) {
	for _, size := range edgeSizes {
		b.Run(fmt.Sprintf("edges=%d", size), func(b *testing.B) {
			g := buildEdgeGraph(b, size)
			defer g.close(b)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				g.newEdge()
			}
			b.StopTimer()
			b.ReportMetric(g.bytes, "B/edge") // after ResetTimer, which drops metrics
		})
	}
}

// BenchmarkExistingEdge re-takes pairs that are already edges, at random
// over the whole graph: the per-lock cache of known predecessors (8 per
// lock, which is all of them here) answers without any shared lock. Past 8
// predecessors taken round robin the cache misses and the answer is one map
// lookup under the graph mutex (TestExistingEdgeAllocs covers both). The
// /off sub-benchmarks walk as many mutexes with no detector.
func BenchmarkExistingEdge(b *testing.B) {
	for _, size := range edgeSizes {
		b.Run(fmt.Sprintf("edges=%d", size), func(b *testing.B) {
			g := buildEdgeGraph(b, size)
			defer g.close(b)
			b.ReportAllocs()
			nm := len(g.m)
			// A random walk over the existing edges: the graph's whole
			// memory is touched, as in a program using many locks.
			r := rand.New(rand.NewPCG(1, 2))
			idx := make([]int32, 1<<16)
			for x := range idx {
				idx[x] = int32(r.IntN(nm - g.deg))
			}
			b.ResetTimer()
			for n := range b.N {
				i := int(idx[n&(len(idx)-1)])
				j := i + 1 + n%g.deg
				g.m[i].Lock()
				g.m[j].Lock()
				g.m[j].Unlock()
				g.m[i].Unlock()
			}
			b.StopTimer()
			b.ReportMetric(g.bytes, "B/edge")
			if st := g.d.Stats(); st.Edges != g.edges {
				b.Fatalf("edges = %d after re-taking existing ones, want %d", st.Edges, g.edges)
			}
		})
		// The same walk over as many mutexes with no detector: the part of
		// the growth with size that is the memory hierarchy's, not gridlock's.
		b.Run(fmt.Sprintf("edges=%d/off", size), func(b *testing.B) {
			if detect.Enabled() {
				b.Skip("a detector is active (GRIDLOCK is set)")
			}
			nm := max(1000, size/8)
			deg := max(1, size/nm)
			m := make([]*detect.Mutex, nm)
			for i := range m {
				m[i] = new(detect.Mutex)
			}
			r := rand.New(rand.NewPCG(1, 2))
			idx := make([]int32, 1<<16)
			for x := range idx {
				idx[x] = int32(r.IntN(nm - deg))
			}
			b.ResetTimer()
			for n := range b.N {
				i := int(idx[n&(len(idx)-1)])
				j := i + 1 + n%deg
				m[i].Lock()
				m[j].Lock()
				m[j].Unlock()
				m[i].Unlock()
			}
		})
	}
}

// TestExistingEdgeAllocs: re-taking known edges in a graph of 10^5 edges
// allocates nothing and adds nothing, whether the per-lock cache knows the
// predecessor (4 per lock here) or not (12 per lock, round robin).
func TestExistingEdgeAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a graph of 10^5 edges")
	}
	for _, size := range []int{4e4, 12e4} {
		g := buildEdgeGraph(t, size)
		n := 0
		op := func() {
			i := (n * 7919) % (len(g.m) - g.deg)
			j := i + 1 + n%g.deg
			n++
			g.m[i].Lock()
			g.m[j].Lock()
			g.m[j].Unlock()
			g.m[i].Unlock()
		}
		if a := testing.AllocsPerRun(10000, op); a != 0 {
			t.Errorf("graph of %d edges (%d per lock): re-taking an existing edge allocates %v times, want 0", g.edges, g.deg, a)
		}
		if st := g.d.Stats(); st.Edges != g.edges || st.Stacks > 16 {
			t.Errorf("graph of %d edges: %d edges and %d stacks after re-taking existing ones, want %d edges and a few stacks", g.edges, st.Edges, st.Stacks, g.edges)
		}
		g.close(t)
	}
}

// TestScale100k: 100,000 live locks and 10,000 goroutines, each taking a few
// nested locks (in index order: no bug) chosen at random. It prints the
// memory per edge and the time per new edge, and checks that every edge is
// there, that no report is made and that the detector's memory is per edge,
// not per lock operation.
func TestScale100k(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 locks and 10,000 goroutines")
	}
	if detect.Enabled() {
		t.Skip("a detector is active (GRIDLOCK is set)")
	}
	nLocks, nGs := *scaleLocks, *scaleGs
	const depth = 4 // locks nested per goroutine
	// An hour's timeout, not the default 30s: under -race on a loaded
	// machine the 10,000 goroutines take 40s and more, and a goroutine
	// queued that long behind a contended lock is a true blocked-wait, not
	// what this test is about (any other report still fails it).
	d := detect.New(detect.WithLog(detect.LogOff), detect.WithTimeout(time.Hour))
	var before, built, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	stop := d.Start()
	// One by one, as locks inside separate objects are. With -scaleslice,
	// one []detect.Mutex: every lock is then in the same allocation, and
	// runtime.AddCleanup, which keeps an allocation's cleanups in a sorted
	// list per span, makes the first tracking of each lock linear in the
	// number of locks already tracked there (quadratic in all).
	locks := make([]*detect.Mutex, nLocks)
	if *scaleSlice {
		all := make([]detect.Mutex, nLocks)
		for i := range locks {
			locks[i] = &all[i]
		}
	} else {
		for i := range locks {
			locks[i] = new(detect.Mutex)
		}
	}
	// Every lock is taken once, so that it has a record (live locks are
	// tracked); these make no edge.
	for i := range locks {
		locks[i].Lock()
		locks[i].Unlock()
	}
	runtime.GC()
	runtime.ReadMemStats(&built)
	picks := make([][depth]int, nGs)
	wantEdges := map[[2]int]bool{}
	r := rand.New(rand.NewPCG(3, 4))
	for g := range picks {
		var p [depth]int
		for k := range p {
			p[k] = r.IntN(nLocks)
		}
		slices.Sort(p[:])
		p[1] = max(p[1], p[0]+1) // distinct, still increasing
		p[2] = max(p[2], p[1]+1)
		p[3] = max(p[3], p[2]+1)
		if p[3] >= nLocks {
			p = [depth]int{0, 1, 2, 3}
		}
		picks[g] = p
		for a := 0; a < depth; a++ {
			for b := a + 1; b < depth; b++ {
				wantEdges[[2]int{p[a], p[b]}] = true
			}
		}
	}
	begin := time.Now()
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for g := range nGs {
		wg.Go(func() {
			<-gate
			p := picks[g]
			for k := range depth {
				locks[p[k]].Lock()
			}
			for k := depth - 1; k >= 0; k-- {
				locks[p[k]].Unlock()
			}
		})
	}
	close(gate)
	wg.Wait()
	elapsed := time.Since(begin)
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	st := d.Stats()
	stop()
	reps := d.Reports()
	d.Close()
	runtime.KeepAlive(locks)

	edgeBytes := float64(after.HeapAlloc) - float64(built.HeapAlloc)
	lockBytes := float64(built.HeapAlloc) - float64(before.HeapAlloc) - float64(uintptr(nLocks)*(unsafe.Sizeof(detect.Mutex{})+unsafe.Sizeof(&detect.Mutex{})))
	t.Logf("%d locks, %d goroutines x %d nested locks: %d nodes, %d edges, %d stacks, %d goroutine states; %.0f B per tracked lock (record), %.0f B per edge (graph, edge info, nodes, goroutine states, stacks); %v per new edge (wall time of the %d goroutines / edges, on %d Ps)",
		nLocks, nGs, depth, st.Nodes, st.Edges, st.Stacks, st.Goroutines,
		lockBytes/float64(nLocks), edgeBytes/float64(st.Edges), elapsed/time.Duration(max(st.Edges, 1)), nGs, runtime.GOMAXPROCS(0))
	if st.Edges != len(wantEdges) {
		t.Errorf("edges = %d, want %d (every distinct nested pair)", st.Edges, len(wantEdges))
	}
	if len(reps) != 0 {
		t.Errorf("reports = %v, want none (every goroutine locks in index order)", kinds(reps))
	}
	// Generous: measured ~200-300 B per edge; a per-operation leak or a
	// full stack per edge (64 PCs, 512 B) would pass it.
	if per := edgeBytes / float64(st.Edges); per > 2048 {
		t.Errorf("%.0f heap bytes per edge, want <= 2048", per)
	}
}

// TestUnlockedLocksAreCollected: a lock that was locked and unlocked and is
// no longer referenced by the program must be garbage collected (and its
// graph node removed) even while the goroutine that used it lives on, as a
// server loop does: gridlock must keep no strong reference to a user's lock.
func TestUnlockedLocksAreCollected(t *testing.T) {
	// A regression test: before 181415d, gstate.makeRoom grew the held
	// list out of gstate.inline without clearing it, and the first two
	// locks of a goroutine that nested 3 deep stayed referenced for as long
	// as its state lived.
	d := detect.New(detect.WithLog(detect.LogOff))
	stop := d.Start()
	defer d.Close()
	defer stop()
	const n = 3 // one more than the inline held list
	collected := make(chan int, n)
	ready, done := make(chan struct{}), make(chan struct{})
	go func() {
		ms := make([]*detect.Mutex, n)
		for i := range ms {
			ms[i] = new(detect.Mutex)
			runtime.AddCleanup(ms[i], func(i int) { collected <- i }, i)
		}
		for _, m := range ms {
			m.Lock()
		}
		for i := n - 1; i >= 0; i-- {
			ms[i].Unlock()
		}
		ms = nil
		close(ready)
		<-done // alive, holding nothing, referencing none of the locks
	}()
	defer close(done)
	<-ready
	var got []int
	for i := 0; i < 100 && len(got) < n; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		for len(collected) > 0 {
			got = append(got, <-collected)
		}
	}
	slices.Sort(got)
	var st detect.Stats
	for i := 0; i < 100; i++ { // node removal is a cleanup too
		if st = d.Stats(); st.Nodes == 0 || len(got) < n {
			break
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if len(got) != n || st.Nodes != 0 || st.Edges != 0 {
		t.Errorf("after 100 GCs: mutexes %v of 0..%d collected, graph %d nodes / %d edges; want all collected and an empty graph",
			got, n-1, st.Nodes, st.Edges)
	}
}
