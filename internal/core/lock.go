package core

import (
	"fmt"
	"runtime"
	"slices"
	"sync/atomic"
	"unsafe"

	"github.com/gridlock-go/gridlock/internal/report"
	"github.com/gridlock-go/gridlock/lockgraph"
)

// ObjType is the kind of a tracked object.
type ObjType uint8

// The tracked object types.
const (
	TypeMutex ObjType = iota + 1
	TypeRWMutex
	TypeWaitGroup
	TypeCond
	TypeOnce
)

func (t ObjType) String() string {
	switch t {
	case TypeMutex:
		return "Mutex"
	case TypeRWMutex:
		return "RWMutex"
	case TypeWaitGroup:
		return "WaitGroup"
	case TypeCond:
		return "Cond"
	case TypeOnce:
		return "Once"
	}
	return "object"
}

// Lock modes, for the facades.
const (
	ModeWrite = modeWrite
	ModeRead  = modeRead
	modeAny   = modeWrite | modeRead
)

// NPCs is the size of the PC arrays the facades capture.
const NPCs = nPCs

// PCs is a short stack captured cheaply.
type PCs = [nPCs]uintptr

// Capture fills pcs with the caller's callers' return addresses (a
// frame-pointer walk: a few nanoseconds).
//
//go:noinline
func Capture(pcs *PCs) { fpWalk(&pcs[0], nPCs, 1) }

// CaptureShort is Capture for the three innermost return addresses: the
// facade's method (Unlock, RUnlock), its call site and that one's caller,
// for half the cost.
//
//go:noinline
func CaptureShort(pcs *PCs) { fpWalk(&pcs[0], nShort, 1) }

// nShort is how many return addresses CaptureShort captures.
const nShort = 3

const nPreds = 8

// lockRec is what gridlock knows about one lock. A lock's State points to
// it; it is made on the first tracked operation.
type lockRec struct {
	det  *Detector
	self uintptr     // the lock's address, to catch copies (not a reference: locks stay collectable)
	dead atomic.Bool // the lock was garbage collected
	lockMeta

	node atomic.Uint64 // lockgraph.Node, 0 until the lock is part of an edge

	preds    [nPreds]atomic.Uint64 // nodes known to have an edge into this one
	predNext atomic.Uint32

	// The last tracked unlock's call site, for unlock-of-unlocked reports
	// (its goroutine is in the lock's State). Written after sync's unlock
	// (see EndRelease).
	unlockPCs [nPCs]atomic.Uintptr

	// For WaitGroups and Conds.
	grp atomic.Pointer[groupRec]
	cnd atomic.Pointer[condRec]
}

// State is embedded in the facades' lock types.
type State struct {
	rec atomic.Pointer[lockRec]
	// unlocker is the goroutine of the last tracked unlock, for
	// unlock-of-unlocked reports. It is written before sync's unlock, on
	// the lock's own cache line, which that unlock writes next: in the
	// lock record, a line no one else writes, each unlock by another
	// goroutine than the last one moved the line between cores (5% of a
	// contended Lock/Unlock).
	unlocker atomic.Int64
}

// own returns the lock's record when it is d's and was made for the lock
// at self, else nil (not made yet, another detector's, or a copy's: the
// record a copied lock carries is the original's).
func (st *State) own(d *Detector, self unsafe.Pointer) *lockRec {
	if rec := st.rec.Load(); rec != nil && rec.det == d && rec.self == uintptr(self) {
		return rec
	}
	return nil
}

// recFor returns the lock's record for d, making it on first use (or when
// it was made for another detector). copied reports that the lock was made
// for another address: the lock value was copied after first use.
func (d *Detector) recFor(st *State, self unsafe.Pointer, typ ObjType, pcs *PCs) (rec *lockRec, copied *lockRec) {
	rec = st.rec.Load()
	if rec != nil && rec.det == d {
		if rec.self == uintptr(self) {
			return rec, nil
		}
		copied = rec
	}
	nr := &lockRec{det: d, self: uintptr(self), lockMeta: lockMeta{typ: typ, seq: d.lockSeq.Add(1)}}
	if pcs != nil {
		nr.site = *pcs
	}
	if st.rec.CompareAndSwap(rec, nr) {
		return nr, copied
	}
	return st.rec.Load(), copied
}

// lockMeta names a lock in reports. The graph keeps a copy per node, so
// that it holds no pointer to the lock.
type lockMeta struct {
	typ  ObjType
	seq  uint64
	site [nPCs]uintptr // first tracked use
}

func (r *lockMeta) name() string { return fmt.Sprintf("%s#%d", r.typ, r.seq) }

func (r *lockMeta) object() report.Object {
	o := report.Object{Name: r.name(), Type: r.typ.String()}
	if s := symbolize(r.site[:trimPCs(r.site[:])]); len(s) > 0 {
		o.Site = s[0].Site()
	}
	return o
}

func trimPCs(pcs []uintptr) int {
	for i, pc := range pcs {
		if pc == 0 {
			return i
		}
	}
	return len(pcs)
}

// knowsEdgeFrom reports whether the edge h→r is known (in r's cache of
// predecessors): taking r while holding h has nothing to learn.
func (r *lockRec) knowsEdgeFrom(h *lockRec) bool {
	node, hn := r.node.Load(), h.node.Load()
	return node != 0 && hn != 0 && r.knowsPred(hn)
}

func (r *lockRec) knowsPred(n uint64) bool {
	for i := range r.preds {
		if r.preds[i].Load() == n {
			return true
		}
	}
	return false
}

func (r *lockRec) addPred(n uint64) {
	i := r.predNext.Add(1) % nPreds
	r.preds[i].Store(n)
}

// Op is the state of one tracked Lock or RLock between its steps.
type Op struct {
	g    *gstate
	rec  *lockRec
	self unsafe.Pointer
	mode uint32
	pcs  PCs
	wait *waitRec
}

// BeforeLock runs the checks of a Lock (mode ModeWrite) or RLock (ModeRead)
// that may block: copies, double and recursive locking, and lock order
// against every lock the goroutine holds. The facade then tries the lock
// and, if it would block, calls op.Wait before blocking.
func (d *Detector) BeforeLock(op *Op, st *State, self unsafe.Pointer, typ ObjType, mode uint32) {
	d.begin(op, st, self, typ, mode)
	g, rec := op.g, op.rec
	if g.count() == 0 {
		return
	}
	g.sync()
	if e, ok := g.find(rec, modeAny); ok {
		kind := report.DoubleLock
		if mode == modeRead && e.mode == modeRead {
			kind = report.RecursiveRLock
		}
		// A Lock of a lock the goroutine took in a frame that has since
		// returned may wait for another goroutine to unlock it (Go's locks
		// are not owned: one goroutine may lock and hand the unlock to
		// another). Its wait is then left to the watchdog, which calls it a
		// deadlock once it has lasted inferredConfirm.
		if kind == report.RecursiveRLock || !e.escaped && frameActive(e.pcs) {
			d.reportDoubleLock(op, kind, e)
		}
	}
	for i := 0; i < g.count(); i++ {
		e := &g.held[i]
		h := e.rec
		if h == nil || h == rec || h.det != d || rec.knowsEdgeFrom(h) {
			continue
		}
		if e.escaped {
			d.holdTentative(op, e) // see handoff.go
			continue
		}
		d.newEdge(op, e)
	}
}

// begin fills op for an operation on the lock of st, reporting a copy.
func (d *Detector) begin(op *Op, st *State, self unsafe.Pointer, typ ObjType, mode uint32) {
	op.mode = mode
	op.self = self
	op.g = d.reg.current()
	rec, copied := d.recFor(st, self, typ, &op.pcs)
	op.rec = rec
	if copied != nil {
		d.reportCopied(op, copied)
	}
}

// Wait records that the goroutine is about to block on the lock.
func (d *Detector) Wait(op *Op) {
	op.wait = d.beginWait(op.g, waitLock, op.rec, op.mode, &op.pcs, nil)
}

// Acquired records that the lock is now held (after BeforeLock, or for a
// TryLock that succeeded, see TryAcquired).
func (d *Detector) Acquired(op *Op) {
	if op.wait != nil {
		// The wait ends with the push: one store publishes both.
		op.g.depth = op.wait.depth - 1
		op.wait = nil
	}
	op.g.push(op.rec, op.self, op.mode, &op.pcs)
}

// TryAcquired records a successful TryLock or TryRLock: no checks (it could
// not block, so it adds no edge into the lock), but the lock is held and
// later locks get edges out of it.
func (d *Detector) TryAcquired(op *Op, st *State, self unsafe.Pointer, typ ObjType, mode uint32) {
	d.begin(op, st, self, typ, mode)
	d.Acquired(op)
}

// Unlocking is an Unlock or RUnlock in progress, from BeginRelease to
// EndRelease.
type Unlocking struct {
	g     *gstate // the unlocking goroutine, when the lock was found held
	rec   *lockRec
	mode  uint32
	later bool // its entry is removed by EndRelease
	own   bool // g held the lock (not another goroutine)
}

// BeginRelease records an Unlock (ModeWrite) or RUnlock (ModeRead) before
// the facade delegates to sync. It returns false when gridlock has no
// record of the lock being held in that mode: the facade then checks the
// real lock and reports an unlock of an unlocked lock if it is free. The
// facade calls EndRelease after sync's unlock: when the lock is the last
// one the goroutine took (the usual case), its entry is removed then, and
// the unlock's site noted, outside the critical section, which other
// goroutines may be waiting to enter. BeginRelease notes the unlocking
// goroutine in the lock's State while the lock is still held; EndRelease
// does not touch the lock, which its next holder may already reuse.
func (d *Detector) BeginRelease(st *State, mode uint32) (u Unlocking, found bool) {
	rec := st.rec.Load()
	if rec == nil || rec.det != d {
		return u, false // no record: the facade asks the real lock
	}
	me := d.reg.current()
	if me.depth == 0 && me.isTop(rec, mode) {
		// Removed after sync's unlock. Not when the goroutine is in a
		// wait (Cond.Wait unlocking its L): it would be seen waiting and
		// still holding L meanwhile.
		st.noteUnlocker(me.id)
		return Unlocking{g: me, rec: rec, mode: mode, later: true, own: true}, true
	}
	own := me.pop(rec, mode)
	if found = own; !found {
		// An Unlock by another goroutine than the one that locked: legal,
		// and rare enough to look for the holder.
		d.reg.each(func(g *gstate) {
			if !found && g != me && g.removeForeign(rec, mode) {
				found = true
			}
		})
	}
	if !found {
		return u, false // the report names the previous unlock: keep it
	}
	st.noteUnlocker(me.id)
	return Unlocking{g: me, rec: rec, mode: mode, own: own}, true
}

// noteUnlocker records g as the goroutine of the lock's last unlock; the
// lock is still held.
func (st *State) noteUnlocker(g int64) {
	if st.unlocker.Load() != g {
		st.unlocker.Store(g)
	}
}

// EndRelease completes an unlock begun by BeginRelease, after sync's; pcs
// is the unlock's call site.
func (d *Detector) EndRelease(u Unlocking, pcs *PCs) {
	if u.g == nil {
		return
	}
	if u.later {
		u.g.pop(u.rec, u.mode)
	}
	u.rec.noteUnlock(pcs)
	if u.own && len(u.g.tentative) > 0 {
		d.commitTentative(u.g, u.rec)
	}
}

// noteUnlock remembers an unlock's call site for a later unlock-of-unlocked
// report; in a steady state the same site unlocks again and nothing is
// written. (The first address is the facade's own, the same for every call:
// the call site is the second.)
func (r *lockRec) noteUnlock(pcs *PCs) {
	if !r.unlockAt(pcs) {
		for i := range pcs {
			r.unlockPCs[i].Store(pcs[i])
		}
	}
}

// unlockAt reports whether the last unlock noted was captured as pcs.
func (r *lockRec) unlockAt(pcs *PCs) bool {
	for i := range nShort {
		if r.unlockPCs[i].Load() != pcs[i] {
			return false
		}
	}
	return true
}

// Holds reports whether the calling goroutine holds the lock of st in a
// mode in mask (as far as gridlock knows). unknown is true when gridlock has
// no record for the lock.
func (d *Detector) Holds(st *State, mask uint32) (held, unknown bool) {
	rec := st.rec.Load()
	if rec == nil || rec.det != d {
		return false, true
	}
	g := d.reg.current()
	g.sync()
	return g.has(rec, mask), false
}

// newEdge handles an edge from h (held, entry e) to op.rec that the cache
// does not know: it adds it to the graph and reports a cycle if it closes
// one.
func (d *Detector) newEdge(op *Op, e *heldEntry) {
	var buf [8]lockgraph.Node
	s := sightOf(op, e)
	d.sightEdge(&s, op.g.gates(d, e.rec, op.rec, buf[:0]))
}

// sightOf is the edge from the held entry e to the lock op takes. e
// belongs to the calling goroutine: its fields are stable here.
func sightOf(op *Op, e *heldEntry) edgeSight {
	return edgeSight{g: op.g.id, from: e.rec, fromSelf: e.self, to: op.rec, toSelf: op.self, fromPCs: e.pcs}
}

// edgeSight is one sighting of a lock-order edge: from, held since
// fromPCs, when to was taken (at toStack).
type edgeSight struct {
	g                int64
	from, to         *lockRec
	fromSelf, toSelf unsafe.Pointer
	fromPCs          [nPCs]uintptr
	toStack          []uintptr        // nil: the caller's, captured when it is needed
	gates            []lockgraph.Node // of a tentative edge (see holdTentative)
}

// stack returns the sighting's stack where to was taken; sightEdge's
// caller's caller is where it was.
func (s *edgeSight) stack() []uintptr {
	if s.toStack == nil {
		s.toStack = edgeStack(3)
	}
	return s.toStack
}

// sightEdge adds the edge of s, taken with gates held (see edgeInfo), to
// the graph, or narrows the gates of the edge already there, and reports
// the cycles that closes. (gates is not in s: a pointer in s escapes, and
// gates is often a buffer on the caller's stack.)
func (d *Detector) sightEdge(s *edgeSight, gates []lockgraph.Node) {
	// The edge may be known already (the per-lock cache is small, and an
	// edge under a gate lock stays out of it: each time it is seen the
	// gates still held are counted again).
	d.gmu.Lock()
	from, to := d.nodeOf(s.from, s.fromSelf), d.nodeOf(s.to, s.toSelf)
	if !d.graph.HasEdge(from, to) {
		d.unlockGraph()
		// A new edge: now it is worth a full stack.
		info := edgeInfo{
			goroutine: s.g,
			fromStack: d.stacks.intern(s.fromPCs[:trimPCs(s.fromPCs[:])]),
			toStack:   d.stacks.intern(s.stack()),
			gates:     slices.Clone(gates), // the caller's buffer stays on its stack
		}
		d.gmu.Lock()
		from, to = d.nodeOf(s.from, s.fromSelf), d.nodeOf(s.to, s.toSelf)
		data := d.edges.add(info)
		cycle, added := d.graph.AddEdge(from, to, data)
		if !added {
			d.edges.remove(data)
		}
		if added {
			var reports [][]cycleEdge
			if cycle != nil {
				if !d.gatedLocked(cycle) {
					reports = append(reports, d.cycleEdgesLocked(cycle))
				} else if p := d.ungatedCycleLocked(from, to); p != nil {
					reports = append(reports, d.cycleEdgesLocked(p))
				} else {
					d.gated[[2]lockgraph.Node{from, to}] = struct{}{}
				}
			}
			if added && len(d.gated) > 0 {
				// A new path may close a gated cycle without its gate.
				reports = append(reports, d.ungatedThroughLocked(from, to)...)
			}
			d.unlockGraph()
			d.debugCheck()
			if len(gates) == 0 {
				s.to.addPred(uint64(from))
			}
			for _, edges := range reports {
				d.reportCycle(edges)
			}
			return
		}
		// Added meanwhile by another goroutine: this is a second sighting.
	}
	// A known edge seen again: keep only the gates held this time too.
	data, ok := d.graph.EdgeData(from, to)
	ok = ok && d.edges.valid(data)
	info := *d.edges.get(data)
	narrowed := ok && len(info.gates) > 0 && narrowGates(&info, gates)
	if narrowed {
		*d.edges.get(data) = info
	}
	d.unlockGraph()
	if !ok || len(info.gates) == 0 {
		s.to.addPred(uint64(from))
	}
	if !narrowed {
		return
	}
	// This sighting made the edge less guarded: a report shows it.
	fromStack, toStack := d.stacks.intern(s.fromPCs[:trimPCs(s.fromPCs[:])]), d.stacks.intern(s.stack())
	d.gmu.Lock()
	if data, ok := d.graph.EdgeData(from, to); ok && d.edges.valid(data) {
		info := d.edges.get(data)
		info.goroutine, info.fromStack, info.toStack = s.g, fromStack, toStack
	}
	reports := d.ungatedThroughLocked(from, to)
	d.unlockGraph()
	for _, edges := range reports {
		d.reportCycle(edges)
	}
}

// debugCheck checks the graph's invariants with GRIDLOCK=debug.
func (d *Detector) debugCheck() {
	if !d.settings.Debug {
		return
	}
	d.gmu.Lock()
	err := d.checkGraphLocked()
	d.unlockGraph()
	if err != nil {
		fmt.Fprintf(d.cfg.Stderr, "gridlock: internal invariant violated: %v\n", err)
	}
}

// gates appends to out the nodes of the locks g holds for writing other
// than h and rec, sorted: the locks that gate an edge h→rec taken now (see
// edgeInfo.gates). A lock held for reading gates nothing (other readers
// hold it too). Called by the owner, after sync.
func (g *gstate) gates(d *Detector, h, rec *lockRec, out []lockgraph.Node) []lockgraph.Node {
	for i := 0; i < g.count(); i++ {
		e := &g.held[i]
		if e.rec == nil || e.rec == h || e.rec == rec || e.rec.det != d || e.mode != modeWrite {
			continue
		}
		if n := lockgraph.Node(e.rec.node.Load()); n != 0 && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// narrowGates keeps in info.gates only the gates also in now, and reports
// whether that removed any.
func narrowGates(info *edgeInfo, now []lockgraph.Node) bool {
	gone := func(n lockgraph.Node) bool {
		_, found := slices.BinarySearch(now, n)
		return !found
	}
	if !slices.ContainsFunc(info.gates, gone) {
		return false // the usual case: no allocation
	}
	info.gates = slices.DeleteFunc(slices.Clone(info.gates), gone)
	return true
}

// gatedLocked reports whether one lock gates every edge of cycle. d.gmu is
// held.
func (d *Detector) gatedLocked(cycle []lockgraph.Edge) bool {
	gates := d.edges.get(cycle[0].Data).gates
	common := allGates(gates)
	for _, c := range cycle[1:] {
		common = d.narrowMaskLocked(common, gates, c)
	}
	return common != 0
}

// allGates is the mask of ungatedCycleLocked and gatedLocked with every one
// of gates still common (at most 62: fewer gates only make more cycles
// count as ungated).
func allGates(gates []lockgraph.Node) uint64 { return 1<<min(len(gates), 62) - 1 }

// narrowMaskLocked returns common (bit i: gates[i] gated every edge so far)
// without the gates that edge e was not taken under. d.gmu is held.
func (d *Detector) narrowMaskLocked(common uint64, gates []lockgraph.Node, e lockgraph.Edge) uint64 {
	eg := d.edgeOf(e.From, e.To).gates
	for i, g := range gates[:min(len(gates), 62)] {
		if _, found := slices.BinarySearch(eg, g); !found {
			common &^= 1 << i
		}
	}
	return common
}

// ungatedThroughLocked returns the cycle, if any, that the edge from→to,
// just added or just seen without some of its gates, closes with no common
// gate: before the change every cycle was reported or gated, so a newly
// ungated one goes through this edge. The stored gated edges on it are
// forgotten (the report covers them). d.gmu is held.
func (d *Detector) ungatedThroughLocked(from, to lockgraph.Node) [][]cycleEdge {
	if len(d.gated) == 0 {
		return nil // no gated cycle: nothing can lose its gate
	}
	p := d.ungatedCycleLocked(from, to)
	if p == nil {
		return nil
	}
	for _, e := range p {
		delete(d.gated, [2]lockgraph.Node{e.From, e.To})
	}
	return [][]cycleEdge{d.cycleEdgesLocked(p)}
}

// ungatedCycleLocked returns a cycle made of the edge from→to and a path of
// known edges back from to to from, such that no lock gates all of its
// edges, or nil if it finds none. It is a breadth-first search over (lock,
// gates of from→to still common to the path) states whose paths never pass
// a lock twice (a closed walk is no cycle: its goroutines would need the
// repeated lock twice). A state first reached by one path is not searched
// again from another, so a cycle found only through such a second path is
// missed: the search errs towards silence only in graphs with several
// gates and paths that cross. d.gmu is held.
func (d *Detector) ungatedCycleLocked(from, to lockgraph.Node) []lockgraph.Edge {
	first := lockgraph.Edge{From: from, To: to}
	gates := d.edgeOf(from, to).gates
	start := gateState{to, allGates(gates)}
	parent := map[gateState]gateState{start: start}
	queue := []gateState{start}
	var succ []lockgraph.Node
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		succ = d.graph.Successors(s.n, succ[:0])
		for _, w := range succ {
			common := d.narrowMaskLocked(s.common, gates, lockgraph.Edge{From: s.n, To: w})
			ns := gateState{w, common}
			if _, seen := parent[ns]; seen || w != from && onChain(parent, s, start, w) {
				continue // a walk through w twice is not a cycle
			}
			parent[ns] = s
			if w == from && common == 0 {
				var back []lockgraph.Edge
				for c := ns; c != start; c = parent[c] {
					back = append(back, lockgraph.Edge{From: parent[c].n, To: c.n})
				}
				slices.Reverse(back)
				return append([]lockgraph.Edge{first}, back...)
			}
			if w != from {
				queue = append(queue, ns)
			}
		}
	}
	return nil
}

// gateState is a state of ungatedCycleLocked's search: a lock reached, and
// which gates of the closing edge every edge so far had (bit i: gates[i]).
type gateState struct {
	n      lockgraph.Node
	common uint64
}

// onChain reports whether lock n is on the search path that leads to s.
func onChain(parent map[gateState]gateState, s, start gateState, n lockgraph.Node) bool {
	for c := s; ; c = parent[c] {
		if c.n == n {
			return true
		}
		if c == start {
			return false
		}
	}
}

// edgeOf returns what is known of the edge from→to (the zero edgeInfo if
// it is not in the graph). d.gmu is held.
func (d *Detector) edgeOf(from, to lockgraph.Node) *edgeInfo {
	data, _ := d.graph.EdgeData(from, to)
	return d.edges.get(data)
}

// cycleEdgesLocked describes the edges of cycle for a report. d.gmu is held.
func (d *Detector) cycleEdgesLocked(cycle []lockgraph.Edge) []cycleEdge {
	var edges []cycleEdge
	for _, c := range cycle {
		edges = append(edges, cycleEdge{
			from: d.nodeMeta[c.From], to: d.nodeMeta[c.To],
			info: *d.edgeOf(c.From, c.To),
		})
	}
	return edges
}

type cycleEdge struct {
	from, to lockMeta
	info     edgeInfo
}

// nodeOf returns rec's node, making it on first use and arranging, through
// the lock at self, that it goes when the lock is garbage collected (only
// locks in the graph pay for a cleanup). d.gmu must be held. A lock already
// collected gets no node: it could never be removed.
func (d *Detector) nodeOf(rec *lockRec, self unsafe.Pointer) lockgraph.Node {
	if n := rec.node.Load(); n != 0 && d.graph.Contains(lockgraph.Node(n)) {
		return lockgraph.Node(n)
	}
	if rec.dead.Load() || self == nil {
		return 0
	}
	n := d.graph.NewNode()
	rec.node.Store(uint64(n))
	d.nodeMeta[n] = rec.lockMeta
	runtime.AddCleanup((*byte)(self), d.dropRec, rec)
	return n
}

// dropRec forgets a lock that was garbage collected (a runtime cleanup).
// It queues the lock for removal from the graph and removes the queue if
// the graph is free; otherwise the goroutine holding the graph does it as
// it lets go (unlockGraph). Goroutines that make locks and edges faster
// than the runtime's cleanup goroutine can take the graph mutex from them
// thus pay for the removals themselves: a churn of 10 million locks left
// 1.6 million dead ones waiting in the graph, and their memory at the
// end, once new edges got cheaper than removals.
func (d *Detector) dropRec(rec *lockRec) {
	rec.dead.Store(true)
	d.dropMu.Lock()
	d.drops = append(d.drops, rec)
	d.dropsPending.Store(true)
	d.dropMu.Unlock()
	if d.gmu.TryLock() {
		d.unlockGraph()
	}
}

// unlockGraph applies the queued removals and unlocks d.gmu, and takes
// it again for removals queued meanwhile by a cleanup that found it
// locked. d.gmu is held.
func (d *Detector) unlockGraph() {
	for {
		if d.dropsPending.Load() {
			d.dropMu.Lock()
			q := d.drops
			d.drops = d.dropsSpare[:0]
			d.dropsPending.Store(false)
			d.dropMu.Unlock()
			for i, rec := range q {
				d.removeRecLocked(rec)
				q[i] = nil
			}
			d.dropsSpare = q[:0]
		}
		d.gmu.Unlock()
		if !d.dropsPending.Load() || !d.gmu.TryLock() {
			return
		}
	}
}

// removeRecLocked removes a collected lock from the graph. d.gmu is held.
func (d *Detector) removeRecLocked(rec *lockRec) {
	n := lockgraph.Node(rec.node.Load())
	if n == 0 {
		return
	}
	for _, e := range d.graph.NodeEdges(n) {
		d.edges.remove(e.Data)
		if len(d.gated) > 0 {
			delete(d.gated, [2]lockgraph.Node{e.From, e.To})
		}
	}
	d.compactMaybe()
	d.graph.RemoveNode(n)
	delete(d.nodeMeta, n)
}

// PCs returns the op's PC array, for the facade to capture into.
func (op *Op) PCs() *PCs { return &op.pcs }

// compactMaybe rebuilds the graph's tables when they have shrunk to a
// quarter of their largest size: Go maps keep the memory of their peak, and
// a churn of short-lived locks would otherwise leave it behind. d.gmu is
// held.
func (d *Detector) compactMaybe() {
	n := len(d.nodeMeta)
	d.tablePeak = max(d.tablePeak, n)
	if d.tablePeak < 4096 || n*4 > d.tablePeak {
		return
	}
	nodeMeta := make(map[lockgraph.Node]lockMeta, len(d.nodeMeta))
	for k, v := range d.nodeMeta {
		nodeMeta[k] = v
	}
	gated := make(map[[2]lockgraph.Node]struct{}, len(d.gated))
	for k := range d.gated {
		gated[k] = struct{}{}
	}
	d.nodeMeta, d.gated = nodeMeta, gated
	d.graph.Compact()
	d.tablePeak = n
}

// GatedLen returns how many edges close only gated cycles and how many
// edges the graph describes, for tests of their cleanup.
func (d *Detector) GatedLen() (gated, edges int) {
	d.gmu.Lock()
	defer d.unlockGraph()
	return len(d.gated), d.edges.live()
}

// frameActive reports whether the frame that took a lock (acq, its
// acquisition stack) is still running in the calling goroutine, which is
// about to lock it again: the function is on the stack, after
// gridlock's own frames, with the same callers as far as both stacks go.
// It tells a lock taken again by the code that holds it (f locks, then
// calls g, which locks: a certain deadlock) from one taken again after the
// function that took it returned holding it (perhaps for another goroutine
// to unlock). A loop that locks twice from the same place counts as
// active.
func frameActive(acq []uintptr) bool {
	var buf [128]uintptr // the whole stack: the frame may be deep in it
	n := callers(buf[:])
	a := userPCs(acq[:trimPCs(acq)])
	c := userPCs(buf[:n])
	if len(a) == 0 || len(c) == 0 || n == len(buf) {
		return true // nothing to tell them apart, or not all seen: as a double lock
	}
	fa := funcEntry(a[0])
	for j := range c {
		if funcEntry(c[j]) != fa {
			continue
		}
		k := 1
		for k < len(a) && j+k < len(c) && a[k] == c[j+k] {
			k++
		}
		if k == len(a) || j+k == len(c) {
			return true
		}
	}
	return false
}

// userPCs drops gridlock's own frames from the top of pcs: those of
// functions of gridlock's (not a user function into which a facade's
// method was inlined).
func userPCs(pcs []uintptr) []uintptr {
	for len(pcs) > 0 {
		f := runtime.FuncForPC(funcEntry(pcs[0])) // the outermost function
		if f == nil || !isInternal(f.Name()) {
			break
		}
		pcs = pcs[1:]
	}
	return pcs
}

// funcEntry returns the entry of the (outermost, for inlined code)
// function of the return address pc.
func funcEntry(pc uintptr) uintptr {
	if f := runtime.FuncForPC(pc - 1); f != nil {
		return f.Entry()
	}
	return 0
}
