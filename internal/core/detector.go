// Package core is gridlock's engine: per-goroutine lock bookkeeping, the
// lock-order graph, the wait-for graph and its watchdog, and the report
// pipeline. The public packages detect and chanwatch are thin facades over
// it.
//
// Rules that keep the detector from hurting the program it watches: the
// engine's own locks are plain sync leaf locks held for a few map operations;
// nothing is logged, written or symbolized while one is held; reports are
// handed to a sink goroutine through a bounded queue, and what does not fit
// is counted and reported as dropped.
package core

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"go.uber.org/zap"

	"github.com/gridlock-go/gridlock/internal/config"
	"github.com/gridlock-go/gridlock/internal/report"
	"github.com/gridlock-go/gridlock/lockgraph"
)

// Config is what a Detector is made from.
type Config struct {
	Settings config.Settings
	// Logger receives reports when Settings.Log is "json" (or always, when
	// set by the caller). Nil means a JSON logger on Stderr.
	Logger *zap.Logger
	// Stderr is where text reports go; nil means os.Stderr.
	Stderr io.Writer
	// OnReport, when set, is called by the sink for every new report (not
	// for repeats of a cause already reported).
	OnReport func(report.Report)
	// Exit ends the process for action=exit and fatal kinds; nil means
	// os.Exit.
	Exit func(code int)
	// MaxReports bounds the distinct reports kept; 0 means 10000.
	MaxReports int
	// Grace is how long after a wait wakes the idle watchdog its first
	// look comes; 0 means 10ms. A wait is examined for deadlocks and
	// leaked locks once seen at two looks.
	Grace time.Duration
}

// Detector is one instance of the engine. Locks and goroutines are tracked
// by the active detector (see Active).
type Detector struct {
	cfg      Config
	settings config.Settings
	pkg      atomic.Pointer[string] // the test binary's package, see SetPackage
	// spin says that a contended Lock may spin before it records a wait:
	// more than one CPU and more than one P (see LockFast).
	spin atomic.Bool

	reg    registry
	stacks *stackTable

	gmu   sync.Mutex // guards graph, edges, nodeMeta, gated; a leaf lock
	graph *lockgraph.Graph
	// edges holds what is known of each edge of the graph, whose payload
	// (lockgraph.Edge.Data) is its index + 1: no hashing of node pairs
	// for each new edge and each edge forgotten (a program may make
	// millions of locks).
	edges    edgeTable
	nodeMeta map[lockgraph.Node]lockMeta
	// drops are the collected locks waiting to leave the graph (see
	// dropRec); dropsSpare is drops' previous array, reused.
	dropMu       sync.Mutex // a leaf lock, taken under gmu or alone
	drops        []*lockRec
	dropsSpare   []*lockRec
	dropsPending atomic.Bool
	gated        map[[2]lockgraph.Node]struct{} // edges closing only gated cycles, not reported
	// tablePeak is the largest size of nodeMeta since the last compaction.
	tablePeak int

	lockSeq atomic.Uint64

	chans chanTable

	sink *sink
	wd   *watchdog

	closeOnce sync.Once
}

// edgeInfo is what the detector remembers of an edge of the lock-order
// graph: who first took the two locks in that order and where.
type edgeInfo struct {
	goroutine int64
	fromStack stackID // where the held lock was taken
	toStack   stackID // where the next lock was taken
	// gates are the locks held for writing, besides the edge's two, every
	// time the edge was seen (the intersection; sorted). A cycle whose
	// edges all share a gate cannot deadlock: the goroutines taking its
	// edges would all hold that lock at once.
	gates []lockgraph.Node
}

// edgeTable holds the edgeInfo of each edge of the graph, at the index its
// payload gives (payload i+1 is edges[i]; 0 is no record). d.gmu is held
// for every call.
type edgeTable struct {
	infos []edgeInfo
	used  []bool
	free  []uint32
}

// add stores info and returns the payload that names it.
func (t *edgeTable) add(info edgeInfo) uint64 {
	if n := len(t.free); n > 0 {
		i := t.free[n-1]
		t.free = t.free[:n-1]
		t.infos[i], t.used[i] = info, true
		return uint64(i) + 1
	}
	t.infos = append(t.infos, info)
	t.used = append(t.used, true)
	return uint64(len(t.infos))
}

// valid reports whether data names a stored record.
func (t *edgeTable) valid(data uint64) bool {
	return data >= 1 && data <= uint64(len(t.infos)) && t.used[data-1]
}

// get returns the record data names (the zero edgeInfo if none).
func (t *edgeTable) get(data uint64) *edgeInfo {
	if !t.valid(data) {
		return &edgeInfo{}
	}
	return &t.infos[data-1]
}

// remove forgets the record data names.
func (t *edgeTable) remove(data uint64) {
	if t.valid(data) {
		t.infos[data-1], t.used[data-1] = edgeInfo{}, false
		t.free = append(t.free, uint32(data-1))
	}
}

// live returns the number of stored records.
func (t *edgeTable) live() int { return len(t.infos) - len(t.free) }

// active is the active *Detector. It is a bare pointer, not an
// atomic.Pointer, whose generic Load costs the inliner more: with it
// chanwatch's Send and Recv no longer inline into their callers
// (TestIntendedInlining).
var active unsafe.Pointer

// Active returns the detector that tracks locks now, or nil when gridlock is
// off. It is the cheap check in front of every operation.
func Active() *Detector { return (*Detector)(atomic.LoadPointer(&active)) }

// SetActive makes d the active detector (nil turns tracking off) and
// returns the previous one.
func SetActive(d *Detector) *Detector {
	return (*Detector)(atomic.SwapPointer(&active, unsafe.Pointer(d)))
}

// New makes a detector. It starts the sink goroutine; the watchdog starts on
// the first wait.
func New(cfg Config) *Detector {
	if cfg.Stderr == nil {
		cfg.Stderr = os.Stderr
	}
	if cfg.Exit == nil {
		cfg.Exit = os.Exit
	}
	if cfg.MaxReports <= 0 {
		cfg.MaxReports = 10000
	}
	if cfg.Grace <= 0 {
		cfg.Grace = 10 * time.Millisecond
	}
	if cfg.Settings.Timeout <= 0 {
		cfg.Settings.Timeout = config.Defaults().Timeout
	}
	d := &Detector{
		cfg:      cfg,
		settings: cfg.Settings,
		stacks:   newStackTable(),
		graph:    lockgraph.New(),
		gated:    make(map[[2]lockgraph.Node]struct{}),
		nodeMeta: make(map[lockgraph.Node]lockMeta),
	}
	d.sink = newSink(d)
	d.wd = newWatchdog(d)
	d.checkSpin()
	initGoidOff()
	return d
}

// checkSpin sets spin from the machine and GOMAXPROCS (which takes the
// scheduler's lock: it is read here and at each look of the watchdog, not
// by each Lock).
func (d *Detector) checkSpin() {
	d.spin.Store(runtime.NumCPU() > 1 && runtime.GOMAXPROCS(0) > 1)
}

// SetPackage names the package of the test binary, for its reports.
func (d *Detector) SetPackage(path string) { d.pkg.Store(&path) }

func (d *Detector) packageName() string {
	if p := d.pkg.Load(); p != nil {
		return *p
	}
	return ""
}

// Settings returns the settings d runs with.
func (d *Detector) Settings() config.Settings { return d.settings }

// Close stops d's goroutines after writing pending reports. A closed
// detector must not be active.
func (d *Detector) Close() {
	d.closeOnce.Do(func() {
		d.wd.stop()
		d.sink.close()
	})
}

// Flush waits until every report made so far has been written.
func (d *Detector) Flush() { d.sink.flush() }

// Reports returns the distinct reports made so far, with their counts.
func (d *Detector) Reports() []report.Report { return d.sink.reports() }

// ReportCount returns how many reports (including repeats) were made.
func (d *Detector) ReportCount() int64 { return d.sink.total.Load() }

// Stats are counters for tests and benchmarks.
type Stats struct {
	Goroutines int
	Nodes      int
	Edges      int
	Stacks     int
	Chans      int // channels with a record
	Dropped    int64
}

// Stats returns the detector's counters.
func (d *Detector) Stats() Stats {
	d.gmu.Lock()
	nodes, edges := d.graph.NumNodes(), d.graph.NumEdges()
	d.unlockGraph()
	return Stats{
		Goroutines: int(d.reg.size.Load()),
		Nodes:      nodes,
		Edges:      edges,
		Stacks:     d.stacks.len(),
		Chans:      d.NumChans(),
		Dropped:    d.sink.dropped.Load(),
	}
}

func (d *Detector) String() string { return fmt.Sprintf("gridlock detector (%s)", d.settings) }

// CheckInvariants verifies the detector's own bookkeeping: the lock-order
// graph's topological order and adjacency, every edge having its record,
// and every goroutine's held list being well formed. Tests call it; with
// GRIDLOCK=debug=1 it runs after every change to the graph.
func (d *Detector) CheckInvariants() error {
	d.gmu.Lock()
	err := d.checkGraphLocked()
	d.unlockGraph()
	if err != nil {
		return err
	}
	var gerr error
	d.reg.each(func(g *gstate) {
		g.lockForRead()
		defer g.unlockForRead()
		if gerr != nil {
			return
		}
		n := g.count()
		if n < 0 || n > len(g.held) {
			gerr = fmt.Errorf("goroutine %d: %d held entries in a list of %d", g.id, n, len(g.held))
			return
		}
		// A dropTop in flight clears its slot after lowering n with a
		// release store: once the cleared slot is seen, the lower n is
		// too. (The owner's next push waits for mu, held here.)
		if n > 0 && g.held[n-1].rec == nil && g.count() == n {
			gerr = fmt.Errorf("goroutine %d: a hole on top of its held list", g.id)
			return
		}
		if len(g.removed) > 0 != g.dirty.Load() {
			gerr = fmt.Errorf("goroutine %d: %d pending removals but dirty=%v", g.id, len(g.removed), g.dirty.Load())
		}
	})
	return gerr
}

// checkGraphLocked checks the graph and the edge records. d.gmu is held.
func (d *Detector) checkGraphLocked() error {
	if err := d.graph.CheckInvariants(); err != nil {
		return fmt.Errorf("lock-order graph: %w", err)
	}
	if n, m := d.graph.NumNodes(), len(d.nodeMeta); n != m {
		return fmt.Errorf("lock-order graph has %d nodes but %d lock records", n, m)
	}
	es := d.graph.Edges()
	for _, e := range es {
		if !d.edges.valid(e.Data) {
			return fmt.Errorf("edge %v has no record (payload %d)", e, e.Data)
		}
	}
	if n := d.edges.live(); n != len(es) {
		return fmt.Errorf("lock-order graph has %d edges but %d edge records", len(es), n)
	}
	return nil
}
