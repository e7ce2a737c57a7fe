package core

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

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
// writes entries; see gstate for how other goroutines read them.
type heldEntry struct {
	rec  *lockRec       // nil: a hole left by an out-of-order or foreign Unlock
	self unsafe.Pointer // the lock itself, while it is held
	mode uint32
	// escaped: the goroutine has since unlocked a lock it took before this
	// one (see gstate.clear). Owner only.
	escaped bool
	pcs     [nPCs]uintptr
}

// set fills the entry. (Comparing the return addresses first, to skip
// writing the same ones again, costs more than the copy: the entry's line
// is written anyway.)
func (e *heldEntry) set(rec *lockRec, self unsafe.Pointer, mode uint32, pcs *[nPCs]uintptr) {
	e.rec, e.self, e.mode, e.escaped, e.pcs = rec, self, mode, false, *pcs
}

// drop forgets the entry's lock (the pointers: what keeps memory alive).
func (e *heldEntry) drop() { e.rec, e.self = nil, nil }

func (e *heldEntry) loadPCs() []uintptr {
	return append([]uintptr(nil), e.pcs[:trimPCs(e.pcs[:])]...)
}

// removal is an Unlock of one of g's locks by another goroutine (legal in
// Go), waiting for the owner to apply it to its entries.
type removal struct {
	rec  *lockRec
	mode uint32
}

// gstate is what gridlock knows about one goroutine.
//
// Its held list and its waits are written by the owner only and read by
// other goroutines (the watchdog, reports, an Unlock by another goroutine)
// with this protocol, which costs the owner one store per Lock, per Unlock
// and per wait begun or ended (a release store when it raises the state,
// see the last point):
//
//   - state publishes both the number of held entries (n, its low 32 bits)
//     and the number of waits the goroutine is in (its wait depth, the high
//     32 bits; the innermost wait is slots[depth-1]);
//   - a reader announces itself in readers, then takes mu, loads state and
//     reads the slots below n and the waits below depth;
//   - the owner writes an entry or a wait record that is not published
//     (at or above n, at or above depth) and then stores the new state:
//     when no reader is announced, without mu (a reader that comes later
//     loads state after the owner's check, so it does not look at what is
//     being written); when a reader is announced, under mu;
//   - the owner pops the top entry or ends a wait by storing the new state,
//     without writing the slot; every other change (holes, compaction,
//     growth, removals queued by other goroutines) is made under mu;
//   - a store that only raises n or depth (publishRaise: a push, a wait
//     begun) needs release ordering only: a reader that loads the new state
//     sees what was written before it, one that loads an older state does
//     not look at the new slot. Every store that lowers them (a pop, a wait
//     ended) is sequentially consistent, but for dropTop's, which a push's
//     real lock orders (see dropTop): the owner's next check of readers
//     cannot pass it, so a reader that still loaded the higher state is seen
//     before the owner writes a slot below it again (the Dekker handshake
//     of readers and state).
type gstate struct {
	id   int64
	born uint64 // registry epoch at registration, see prune

	mu      sync.Mutex
	readers atomic.Int32
	held    []heldEntry // slots below n may be holes (rec == nil)
	state   atomic.Uint64
	removed []removal   // guarded by mu
	dirty   atomic.Bool // removed is not empty

	// waits counts the waits begun, numbering them: written by the owner
	// only (a release store), read by the watchdog to tell whether the
	// program still moves (see Detector.waitsBegun).
	waits atomic.Uint64
	depth int // the published wait depth; owner only (others load state)
	slots [maxWaitDepth]waitRec

	inline [2]heldEntry // held's first array: most goroutines nest little

	chans [chanCacheSize]chanCacheEntry // owner only, see Detector.Chan

	tentative []edgeSight // owner only, see holdTentative
}

// maxWaitDepth bounds the waits a goroutine is in at once: one, and Cond.Wait
// re-locking its L inside its own wait. Deeper waits are not tracked.
const maxWaitDepth = 2

// count returns the number of held entries (holes included).
func (g *gstate) count() int { return int(uint32(g.state.Load())) }

// waitDepth returns how many waits the goroutine is in.
func (g *gstate) waitDepth() int { return int(g.state.Load() >> 32) }

// publish stores the state: n held entries and the owner's wait depth.
// Called by the owner only.
func (g *gstate) publish(n int) { g.state.Store(uint64(g.depth)<<32 | uint64(uint32(n))) }

// publishRaise is publish for a state that raises n or the wait depth and
// lowers neither (see gstate): a release store.
func (g *gstate) publishRaise(n int) {
	storeRelease((*uint64)(unsafe.Pointer(&g.state)), uint64(g.depth)<<32|uint64(uint32(n)))
}

func newGState(id int64) *gstate {
	g := &gstate{id: id}
	g.held = g.inline[:]
	return g
}

// push records that the goroutine now holds rec. Called by the owner only,
// once it holds the real lock: taking it is an atomic read-modify-write,
// which dropTop's release store relies on.
func (g *gstate) push(rec *lockRec, self unsafe.Pointer, mode uint32, pcs *[nPCs]uintptr) {
	n := g.count()
	if n < len(g.held) && g.readers.Load() == 0 && !g.dirty.Load() {
		g.held[n].set(rec, self, mode, pcs)
		if g.depth == g.waitDepth() {
			g.publishRaise(n + 1)
		} else {
			g.publish(n + 1) // ends a wait (a Lock that waited) too
		}
		return
	}
	g.mu.Lock()
	if g.dirty.Load() {
		g.applyRemovals()
	}
	if g.count() == len(g.held) {
		g.makeRoom()
	}
	n = g.count()
	g.held[n].set(rec, self, mode, pcs)
	g.publish(n + 1)
	g.mu.Unlock()
}

// makeRoom compacts the held list, growing it when it is full of live
// entries. g.mu is held.
func (g *gstate) makeRoom() {
	n := g.count()
	j := 0
	for i := 0; i < n; i++ {
		if g.held[i].rec != nil {
			g.held[j] = g.held[i]
			j++
		}
	}
	clear(g.held[j:n])
	g.publish(j)
	if j == len(g.held) {
		old := g.held
		g.held = append(g.held[:j:j], make([]heldEntry, j)...)
		clear(old) // the old array (perhaps g.inline) must not keep locks alive
	}
}

// applyRemovals applies the Unlocks made by other goroutines. g.mu is held.
func (g *gstate) applyRemovals() {
	for _, r := range g.removed {
		g.clear(r.rec, r.mode, false)
		g.dropTentative(r.rec)
	}
	g.removed = g.removed[:0]
	g.dirty.Store(false)
}

// clear removes the topmost entry of rec held in a mode in mask and trims
// the holes on top. g.mu is held. own says that the goroutine unlocks rec
// itself: the locks it took after rec and still holds are then marked
// escaped (their critical sections do not nest in rec's: the function that
// took one has returned holding it, perhaps for another goroutine to
// unlock, see holdTentative).
func (g *gstate) clear(rec *lockRec, mask uint32, own bool) bool {
	n := g.count()
	for i := n - 1; i >= 0; i-- {
		e := &g.held[i]
		if e.rec == rec && e.mode&mask != 0 {
			if own {
				for j := i + 1; j < n; j++ {
					g.held[j].escaped = true
				}
			}
			*e = heldEntry{}
			for n > 0 && g.held[n-1].rec == nil {
				n--
			}
			g.publish(n)
			return true
		}
	}
	return false
}

// sync applies pending removals. Called by the owner before it reads its
// entries.
func (g *gstate) sync() {
	if g.dirty.Load() {
		g.mu.Lock()
		g.applyRemovals()
		g.mu.Unlock()
	}
}

// find returns a copy of the topmost entry of rec held in one of the modes
// in mask. Called by the owner only, after sync.
func (g *gstate) find(rec *lockRec, mask uint32) (heldSnapshot, bool) {
	for i := g.count() - 1; i >= 0; i-- {
		e := &g.held[i]
		if e.rec == rec && e.mode&mask != 0 {
			return heldSnapshot{rec: rec, mode: e.mode, pcs: e.loadPCs(), escaped: e.escaped}, true
		}
	}
	return heldSnapshot{}, false
}

// has reports whether g holds rec in one of the modes in mask. Called by
// the owner only, after sync.
func (g *gstate) has(rec *lockRec, mask uint32) bool {
	for i := g.count() - 1; i >= 0; i-- {
		if e := &g.held[i]; e.rec == rec && e.mode&mask != 0 {
			return true
		}
	}
	return false
}

// isTop reports whether g's last entry is rec held in a mode in mask (and
// no removal by another goroutine is pending). Called by the owner only.
func (g *gstate) isTop(rec *lockRec, mask uint32) bool {
	n := g.count()
	if n == 0 || g.dirty.Load() {
		return false
	}
	e := &g.held[n-1]
	return e.rec == rec && e.mode&mask != 0
}

// pop removes the topmost entry of rec held in a mode in mask. Called by
// the owner only. It reports whether it found one.
func (g *gstate) pop(rec *lockRec, mask uint32) bool {
	n := g.count()
	if n > 0 && !g.dirty.Load() {
		if e := &g.held[n-1]; e.rec == rec && e.mode&mask != 0 {
			g.dropTop()
			return true
		}
	}
	g.mu.Lock()
	if g.dirty.Load() {
		g.applyRemovals()
	}
	ok := g.clear(rec, mask, true)
	g.mu.Unlock()
	return ok
}

// dropTop removes the top entry: the usual case of pop, unlocking the
// last lock taken. Called by the owner only, when no removal is pending.
//
// It lowers n with a release store, where every other store that lowers
// the state is sequentially consistent (see gstate): a Lock/Unlock pair
// has a locked instruction less (6 of its 56 ns here). The handshake
// still holds because of what follows: the owner writes a held slot
// without mu only in push, after taking the real lock, whose atomic
// read-modify-write (a full barrier) orders this store before push's check
// of readers. Until then, the only write is the clearing of the slot
// below, racing at worst with a reader that loaded the higher state: that
// reader sees the entry whole or a hole (the pointers are cleared one
// store each), as if it had looked a moment earlier or later, provided it
// reads the entry's rec once.
func (g *gstate) dropTop() {
	// Shrink n, then clear the slot (it must not keep the lock alive). A
	// reader that comes later loads the new n and does not look at the
	// slot; one that came before holds mu while it reads.
	top := g.count() - 1
	n := top
	for n > 0 && g.held[n-1].rec == nil {
		n--
	}
	storeRelease((*uint64)(unsafe.Pointer(&g.state)), uint64(g.depth)<<32|uint64(uint32(n)))
	if g.readers.Load() == 0 {
		g.held[top].drop()
		return
	}
	g.mu.Lock()
	if top >= g.count() {
		g.held[top].drop()
	}
	g.mu.Unlock()
}

// lockForRead announces a reader of g's held list and takes g.mu.
func (g *gstate) lockForRead() {
	g.readers.Add(1)
	g.mu.Lock()
}

func (g *gstate) unlockForRead() {
	g.mu.Unlock()
	g.readers.Add(-1)
}

// removeForeign records, for another goroutine, an Unlock of one of g's
// entries of rec; the owner applies it. It reports whether g held rec in a
// mode in mask (and not already removed).
func (g *gstate) removeForeign(rec *lockRec, mask uint32) bool {
	g.lockForRead()
	defer g.unlockForRead()
	held := 0
	for i := 0; i < g.count(); i++ {
		if e := &g.held[i]; e.rec == rec && e.mode&mask != 0 {
			held++
		}
	}
	for _, r := range g.removed {
		if r.rec == rec && r.mode&mask != 0 {
			held--
		}
	}
	if held <= 0 {
		return false
	}
	g.removed = append(g.removed, removal{rec, mask})
	g.dirty.Store(true)
	return true
}

// heldSnapshot is a copy of one held entry, for reports and the watchdog.
type heldSnapshot struct {
	rec     *lockRec
	mode    uint32
	pcs     []uintptr
	escaped bool // see heldEntry; set by find only
}

// snapshotHeld copies g's held entries, less those unlocked by other
// goroutines. Any goroutine may call it.
func (g *gstate) snapshotHeld() []heldSnapshot {
	g.lockForRead()
	defer g.unlockForRead()
	var out []heldSnapshot
	for i := g.count() - 1; i >= 0; i-- {
		// rec is read once: a dropTop in flight may clear it meanwhile
		// (see dropTop).
		e := &g.held[i]
		if rec := e.rec; rec != nil {
			out = append(out, heldSnapshot{rec: rec, mode: e.mode, pcs: e.loadPCs()})
		}
	}
	for _, r := range g.removed {
		if j := slices.IndexFunc(out, func(h heldSnapshot) bool { return h.rec == r.rec && h.mode&r.mode != 0 }); j >= 0 {
			out = slices.Delete(out, j, j+1)
		}
	}
	slices.Reverse(out)
	return out
}

// registry maps goroutine ids to their state. A goroutine finds its own
// state in a direct-mapped cache without a lock; a miss looks in a sharded
// map under its shard's read lock.
type registry struct {
	// cache maps goroutine ids to states without a map lookup: the entry
	// at id%len is the state of the goroutine that last looked itself up
	// there.
	cache  [regCache]atomic.Pointer[gstate]
	shards [regShards]regShard
	size   atomic.Int64
	epoch  atomic.Uint64 // counts registrations

	// The states of exited goroutines are dropped when the registry has
	// grown by half since the last pruning: memory follows the live
	// goroutines.
	pruneAt  atomic.Int64
	pruning  atomic.Bool
	prunings atomic.Int64
	// pruneNotBefore (since epoch) spaces the prunings by their cost, as
	// the watchdog's looks: a program that starts and ends goroutines by
	// the thousand grows the registry by half many times a second, and
	// each pruning stops the world for its dump (gocron's throughput test
	// lost a tenth of its runs).
	pruneNotBefore atomic.Int64
}

// minPruneAt is the registry size below which nothing is pruned.
const minPruneAt = 1024

const (
	regShards = 256
	regCache  = 4096
)

type regShard struct {
	mu   sync.RWMutex // a leaf lock: nothing is called while it is held
	m    map[int64]*gstate
	peak int // largest len(m) since m was made
	_    [16]byte
}

// current returns the calling goroutine's state, creating it if needed.
func (r *registry) current() *gstate {
	id := goid.Get()
	if g := r.cached(id); g != nil {
		return g
	}
	g := r.lookup(id)
	if g == nil {
		g = r.insert(id)
	}
	r.cache[uint64(id)%regCache].Store(g)
	return g
}

// cached returns the state of goroutine id if the cache has it, else nil.
func (r *registry) cached(id int64) *gstate {
	if g := r.cache[uint64(id)%regCache].Load(); g != nil && g.id == id {
		return g
	}
	return nil
}

func (r *registry) lookup(id int64) *gstate {
	sh := &r.shards[uint64(id)%regShards]
	sh.mu.RLock()
	g := sh.m[id]
	sh.mu.RUnlock()
	return g
}

func (r *registry) insert(id int64) *gstate {
	sh := &r.shards[uint64(id)%regShards]
	sh.mu.Lock()
	if g := sh.m[id]; g != nil {
		sh.mu.Unlock()
		return g
	}
	g := newGState(id)
	g.born = r.epoch.Add(1)
	if sh.m == nil {
		sh.m = make(map[int64]*gstate)
	}
	sh.m[id] = g
	sh.peak = max(sh.peak, len(sh.m))
	sh.mu.Unlock()
	if n := r.size.Add(1); n >= max(r.pruneAt.Load(), minPruneAt) && time.Since(epoch) >= time.Duration(r.pruneNotBefore.Load()) && r.pruning.CompareAndSwap(false, true) {
		go r.pruneMaybe()
	}
	return g
}

// pruneDead drops the states of goroutines that have exited holding
// nothing, from a goroutine dump (which stops the world briefly: it runs
// once per growth by half of the registry).
// PruneGoroutines forgets, now, the states of goroutines that have exited
// (as the registry does by itself when it has grown by half since the last
// time). Tests use it to measure what gridlock keeps.
func (d *Detector) PruneGoroutines() {
	for !d.reg.pruning.CompareAndSwap(false, true) {
		time.Sleep(time.Millisecond) // a prune in progress
	}
	d.reg.pruneDead()
}

// pruneMaybe is pruneDead when the registry has grown by half, unless
// runtime.NumGoroutine says that fewer than a third of the states can be
// of exited goroutines: the dump costs ~20 µs a goroutine, and a program
// that starts 100,000 goroutines that stay took 3.2 s instead of 0.4 s,
// most of it in dumps that found none exited.
func (r *registry) pruneMaybe() {
	n := r.size.Load()
	if live := int64(runtime.NumGoroutine()); n-live < n/3 {
		r.pruneAt.Store(max(minPruneAt, n+n/2))
		r.pruning.Store(false)
		return
	}
	r.pruneDead()
}

func (r *registry) pruneDead() {
	defer r.pruning.Store(false)
	regEpoch := r.epoch.Load()
	start := time.Now()
	snap := takeSnapshot()
	defer func() {
		r.pruneNotBefore.Store(int64(time.Since(epoch) + lookShare*time.Since(start)))
	}()
	alive := make(map[int64]bool, len(snap))
	for id := range snap {
		alive[id] = true
	}
	r.prune(alive, regEpoch)
	r.prunings.Add(1)
	n := r.size.Load()
	r.pruneAt.Store(max(minPruneAt, n+n/2))
}

// each calls f for every known goroutine state. f runs without the
// registry's locks (it may be slow: the watchdog and reports call it).
func (r *registry) each(f func(*gstate)) {
	var buf []*gstate
	for i := range r.shards {
		sh := &r.shards[i]
		sh.mu.RLock()
		buf = buf[:0]
		for _, g := range sh.m {
			buf = append(buf, g)
		}
		sh.mu.RUnlock()
		for _, g := range buf {
			f(g)
		}
	}
}

// prune removes the states of goroutines that are not in alive and hold
// nothing. alive is a goroutine dump begun when the registry's epoch was
// before: a goroutine registered later may be alive without being in it.
func (r *registry) prune(alive map[int64]bool, before uint64) {
	var dead []*gstate
	r.each(func(g *gstate) {
		if !alive[g.id] && g.born <= before && len(g.snapshotHeld()) == 0 {
			dead = append(dead, g) // a goroutine holding a leaked lock stays, for the reports
		}
	})
	for _, g := range dead {
		sh := &r.shards[uint64(g.id)%regShards]
		sh.mu.Lock()
		if sh.m[g.id] == g {
			delete(sh.m, g.id)
			r.size.Add(-1)
		}
		sh.mu.Unlock()
		r.cache[uint64(g.id)%regCache].CompareAndSwap(g, nil)
	}
	// Go maps keep the memory of their peak: rebuild the shards that
	// shrank to a quarter of it.
	for i := range r.shards {
		sh := &r.shards[i]
		sh.mu.Lock()
		if n := len(sh.m); sh.peak >= 64 && n*4 <= sh.peak {
			nm := make(map[int64]*gstate, n)
			for k, v := range sh.m {
				nm[k] = v
			}
			sh.m, sh.peak = nm, n
		}
		sh.mu.Unlock()
	}
}
