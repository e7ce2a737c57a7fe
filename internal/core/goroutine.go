package core

import (
	"sync"
	"sync/atomic"

	"github.com/petermattis/goid"
)

// nPCs is how many return addresses are kept for each acquisition and
// unlock: enough to name the call site and a few callers, cheaply captured
// with a frame-pointer walk.
const nPCs = 6

// Lock modes of a held entry.
const (
	modeWrite uint32 = 1
	modeRead  uint32 = 2
)

// heldEntry is one lock held by a goroutine. Only the owning goroutine
// fills entries; other goroutines read them and may clear rec (an Unlock
// from another goroutine), so every field is atomic.
type heldEntry struct {
	rec  atomic.Pointer[lockRec]
	mode atomic.Uint32
	pcs  [nPCs]atomic.Uintptr
}

func (e *heldEntry) loadPCs() []uintptr {
	var pcs []uintptr
	for i := range e.pcs {
		pc := e.pcs[i].Load()
		if pc == 0 {
			break
		}
		pcs = append(pcs, pc)
	}
	return pcs
}

// heldList is the array of a goroutine's held locks. Slots below n may be
// holes (rec == nil) left by Unlocks from other goroutines.
type heldList struct {
	entries []heldEntry
}

// gstate is what gridlock knows about one goroutine.
type gstate struct {
	id   int64
	born uint64 // registry epoch at registration, see prune

	// mu guards growth and compaction of held and removal of entries by
	// other goroutines. The owner's push and pop do not take it.
	mu   sync.Mutex
	held atomic.Pointer[heldList]
	n    atomic.Int32

	// wait is the wait the goroutine is blocked in, nil when it runs.
	wait atomic.Pointer[waitRec]
}

func newGState(id int64) *gstate {
	g := &gstate{id: id}
	g.held.Store(&heldList{entries: make([]heldEntry, 4)})
	return g
}

// push records that the goroutine now holds rec. Called by the owner only.
func (g *gstate) push(rec *lockRec, mode uint32, pcs *[nPCs]uintptr) {
	n := g.n.Load()
	l := g.held.Load()
	if int(n) == len(l.entries) {
		l, n = g.makeRoom()
	}
	e := &l.entries[n]
	for i := range pcs {
		e.pcs[i].Store(pcs[i])
	}
	e.mode.Store(mode)
	e.rec.Store(rec)
	g.n.Store(n + 1)
}

// makeRoom compacts the held list, growing it when it is full of live
// entries.
func (g *gstate) makeRoom() (*heldList, int32) {
	g.mu.Lock()
	defer g.mu.Unlock()
	l := g.held.Load()
	n := g.n.Load()
	live := int32(0)
	for i := int32(0); i < n; i++ {
		if l.entries[i].rec.Load() != nil {
			live++
		}
	}
	if live < n {
		j := int32(0)
		for i := int32(0); i < n; i++ {
			src := &l.entries[i]
			rec := src.rec.Load()
			if rec == nil {
				continue
			}
			if i != j {
				copyEntry(&l.entries[j], src, rec)
			}
			j++
		}
		for i := j; i < n; i++ {
			l.entries[i].rec.Store(nil)
		}
		g.n.Store(j)
		return l, j
	}
	nl := &heldList{entries: make([]heldEntry, 2*len(l.entries))}
	for i := int32(0); i < n; i++ {
		if rec := l.entries[i].rec.Load(); rec != nil {
			copyEntry(&nl.entries[i], &l.entries[i], rec)
		}
	}
	g.held.Store(nl)
	return nl, n
}

func copyEntry(dst, src *heldEntry, rec *lockRec) {
	for k := range src.pcs {
		dst.pcs[k].Store(src.pcs[k].Load())
	}
	dst.mode.Store(src.mode.Load())
	dst.rec.Store(rec)
}

// find returns the topmost entry of rec held in one of the modes in mask, or
// nil.
func (g *gstate) find(rec *lockRec, mask uint32) *heldEntry {
	l := g.held.Load()
	for i := g.n.Load() - 1; i >= 0; i-- {
		e := &l.entries[i]
		if e.rec.Load() == rec && e.mode.Load()&mask != 0 {
			return e
		}
	}
	return nil
}

// pop removes the topmost entry of rec held in a mode in mask. Called by
// the owner only. It reports whether it found one.
func (g *gstate) pop(rec *lockRec, mask uint32) bool {
	l := g.held.Load()
	n := g.n.Load()
	for i := n - 1; i >= 0; i-- {
		e := &l.entries[i]
		if e.rec.Load() == rec && e.mode.Load()&mask != 0 {
			if !e.rec.CompareAndSwap(rec, nil) {
				return false
			}
			if i == n-1 {
				for n > 0 && l.entries[n-1].rec.Load() == nil {
					n--
				}
				g.n.Store(n)
			}
			return true
		}
	}
	return false
}

// removeForeign removes an entry of rec from g on behalf of another
// goroutine (an Unlock by a goroutine that did not lock).
func (g *gstate) removeForeign(rec *lockRec, mask uint32) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	l := g.held.Load()
	for i := g.n.Load() - 1; i >= 0; i-- {
		e := &l.entries[i]
		if e.rec.Load() == rec && e.mode.Load()&mask != 0 {
			return e.rec.CompareAndSwap(rec, nil)
		}
	}
	return false
}

// heldSnapshot is a copy of one held entry, for reports and the watchdog.
type heldSnapshot struct {
	rec  *lockRec
	mode uint32
	pcs  []uintptr
}

// snapshotHeld copies g's held entries.
func (g *gstate) snapshotHeld() []heldSnapshot {
	l := g.held.Load()
	n := min(int(g.n.Load()), len(l.entries))
	var out []heldSnapshot
	for i := 0; i < n; i++ {
		e := &l.entries[i]
		rec := e.rec.Load()
		if rec == nil {
			continue
		}
		out = append(out, heldSnapshot{rec: rec, mode: e.mode.Load(), pcs: e.loadPCs()})
	}
	return out
}

// registry maps goroutine ids to their state. Lookups are lock-free; the
// table is sharded so that insertions of new goroutines do not contend.
type registry struct {
	shards [regShards]regShard
	size   atomic.Int64
	epoch  atomic.Uint64 // counts registrations

	// The states of exited goroutines are dropped when the registry has
	// doubled since the last pruning: memory follows the live goroutines.
	pruneAt  atomic.Int64
	pruning  atomic.Bool
	prunings atomic.Int64
}

// minPruneAt is the registry size below which nothing is pruned.
const minPruneAt = 1024

const regShards = 256

type regShard struct {
	mu sync.Mutex
	m  atomic.Pointer[map[int64]*gstate] // copy-on-write
	_  [40]byte
}

// current returns the calling goroutine's state, creating it if needed.
func (r *registry) current() *gstate {
	id := goid.Get()
	sh := &r.shards[uint64(id)%regShards]
	if m := sh.m.Load(); m != nil {
		if g := (*m)[id]; g != nil {
			return g
		}
	}
	return r.insert(sh, id)
}

func (r *registry) lookup(id int64) *gstate {
	sh := &r.shards[uint64(id)%regShards]
	if m := sh.m.Load(); m != nil {
		return (*m)[id]
	}
	return nil
}

func (r *registry) insert(sh *regShard, id int64) *gstate {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	old := sh.m.Load()
	if old != nil {
		if g := (*old)[id]; g != nil {
			return g
		}
	}
	g := newGState(id)
	g.born = r.epoch.Add(1)
	nm := make(map[int64]*gstate, 1+lenMap(old))
	if old != nil {
		for k, v := range *old {
			nm[k] = v
		}
	}
	nm[id] = g
	sh.m.Store(&nm)
	if n := r.size.Add(1); n >= max(r.pruneAt.Load(), minPruneAt) && r.pruning.CompareAndSwap(false, true) {
		go r.pruneDead()
	}
	return g
}

// pruneDead drops the states of goroutines that have exited holding
// nothing, from a goroutine dump (which stops the world briefly: it runs
// once per doubling of the registry).
func (r *registry) pruneDead() {
	defer r.pruning.Store(false)
	epoch := r.epoch.Load()
	snap := takeSnapshot()
	alive := make(map[int64]bool, len(snap))
	for id := range snap {
		alive[id] = true
	}
	r.prune(alive, epoch)
	r.prunings.Add(1)
	r.pruneAt.Store(max(minPruneAt, 2*r.size.Load()))
}

func lenMap(m *map[int64]*gstate) int {
	if m == nil {
		return 0
	}
	return len(*m)
}

// each calls f for every known goroutine state.
func (r *registry) each(f func(*gstate)) {
	for i := range r.shards {
		if m := r.shards[i].m.Load(); m != nil {
			for _, g := range *m {
				f(g)
			}
		}
	}
}

// prune removes the states of goroutines that are not in alive and hold
// nothing. alive is a goroutine dump begun when the registry's epoch was
// before: a goroutine registered later may be alive without being in it.
func (r *registry) prune(alive map[int64]bool, before uint64) {
	for i := range r.shards {
		sh := &r.shards[i]
		sh.mu.Lock()
		old := sh.m.Load()
		if old == nil {
			sh.mu.Unlock()
			continue
		}
		var nm map[int64]*gstate
		for id, g := range *old {
			if alive[id] || g.born > before {
				continue
			}
			if len(g.snapshotHeld()) > 0 {
				continue // a leaked lock: keep its holder for the reports
			}
			if nm == nil {
				nm = make(map[int64]*gstate, len(*old))
				for k, v := range *old {
					nm[k] = v
				}
			}
			delete(nm, id)
			r.size.Add(-1)
		}
		if nm != nil {
			sh.m.Store(&nm)
		}
		sh.mu.Unlock()
	}
}
