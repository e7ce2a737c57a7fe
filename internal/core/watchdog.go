package core

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gridlock-go/gridlock/internal/report"
)

// tick is how often the watchdog looks at the waits while there are any.
const tick = 20 * time.Millisecond

// watchdog looks at the tracked waits: it confirms deadlocks (a cycle of
// goroutines each waiting for another, unchanged over two looks), reports
// waits longer than the timeout and locks held by goroutines that exited.
// It only reads the bookkeeping; it never blocks a goroutine.
type watchdog struct {
	d       *Detector
	running atomic.Bool
	timer   *time.Timer

	mu      sync.Mutex // serialises the looks; a leaf lock
	stopped bool

	// clock is the time of the last look (or of the start of the
	// watchdog), in nanoseconds since epoch: waits read it instead of the
	// system clock, which costs more than a contended Lock. A wait's start
	// is thus known to the watchdog's tick: it began between its since
	// and the first look that saw it.
	clock atomic.Int64

	// Guarded by mu.
	snap         snapshot // the goroutine dump of the current look, see dump
	suspects     map[waitKey]bool
	firstSeen    map[waitKey]time.Time // the look that first saw each wait
	reported     map[waitKey]uint8     // reportedBlocked, reportedDeadlock
	leakReported map[leakKey]bool
	lastSnap     time.Time
	snapCost     time.Duration
	lastExitAsk  time.Time // see sink.checkIdleExit
	waiting      int       // the waits of the last look
	exitProgress progress  // at lastExitAsk
	lastLook     time.Time
	lookCost     time.Duration // how long the last look took
}

// lookShare bounds the watchdog's share of a CPU: after a look that took c,
// the next one waits at least lookShare × c (the timer still ticks the
// clock every tick). A look costs O(waits): with ten thousand goroutines
// parked in tracked waits one took ~10 ms, and a look every tick kept half
// a CPU busy; it now looks every ~200 ms, and a program with a few waits
// every tick as before.
const lookShare = 20

// maxLookGap bounds the spacing: a look slowed down once (by a dump of a
// hundred thousand goroutines for a report, a GC pause, the look's
// goroutine descheduled) must not hold back the next reports for long.
const maxLookGap = time.Second

// progress is what tells whether the tracked program moved between two
// looks: the waits begun (one beginning changes it) and the waits on (with
// none begun, the set of waits can only shrink: one ending changes it).
type progress struct {
	begun   uint64
	waiting int
}

// What has been reported about a wait.
const (
	reportedBlocked uint8 = 1 << iota
	reportedDeadlock
	// left: the goroutine was found elsewhere than in the wait (see
	// waitSnap.leftIn); the wait is ignored from then on.
	reportedLeft
)

type waitKey struct {
	g   int64
	seq uint64
}

type leakKey struct {
	rec *lockRec
	g   int64
}

func newWatchdog(d *Detector) *watchdog {
	w := &watchdog{
		d:            d,
		suspects:     make(map[waitKey]bool),
		firstSeen:    make(map[waitKey]time.Time),
		reported:     make(map[waitKey]uint8),
		leakReported: make(map[leakKey]bool),
	}
	w.tickClock(time.Now())
	w.timer = time.AfterFunc(time.Hour, w.fire)
	w.timer.Stop()
	return w
}

// nudge wakes the watchdog: a goroutine started to wait. It never blocks.
// The watchdog runs on timers while there are waits: between two looks
// there is no gridlock goroutine (goleak and goroutine dumps stay clean).
func (w *watchdog) nudge() {
	if !w.running.Load() {
		w.start()
	}
}

func (w *watchdog) start() {
	// The clock first: a wait that finds the watchdog running reads a
	// clock at most a look old.
	now, real := realNow()
	if !real {
		// In a synctest bubble, time is the bubble's: a Reset here would
		// set the timer by the bubble's clock (years away in real time)
		// and leave the watchdog "running" for good. The next wait begun
		// outside a bubble starts it (a deadlock inside the bubble is
		// synctest's to report).
		return
	}
	w.tickClock(now)
	if w.running.CompareAndSwap(false, true) {
		w.d.checkSpin() // GOMAXPROCS may have changed while no wait was on
		w.timer.Reset(w.d.cfg.Grace)
	}
}

func (w *watchdog) tickClock(now time.Time) { w.clock.Store(int64(now.Sub(epoch))) }

// realNow returns time.Now and whether it is the real time: in a
// testing/synctest bubble it is the bubble's fake clock, which starts in
// 2000, before epoch.
func realNow() (time.Time, bool) {
	now := time.Now()
	return now, !now.Before(epoch)
}

// clockForWait returns the clock for a wait that begins now: at most a
// look old while the watchdog runs, read from the system when it does not
// (but for a wait in a synctest bubble: the last real time known).
func (w *watchdog) clockForWait() int64 {
	if !w.running.Load() {
		w.tickReal()
	}
	return w.clock.Load()
}

// tickReal sets the clock to the system's time, unless in a synctest
// bubble.
//
//go:noinline
func (w *watchdog) tickReal() {
	if now, real := realNow(); real {
		w.tickClock(now)
	}
}

// now returns the time since epoch for a record: the watchdog's clock
// while it runs (the system's costs more), else the system's (in a
// synctest bubble, the last real time known).
func (w *watchdog) now() int64 {
	if w.running.Load() {
		return w.clock.Load()
	}
	if now, real := realNow(); real {
		return int64(now.Sub(epoch))
	}
	return w.clock.Load()
}

func (w *watchdog) stop() {
	w.mu.Lock()
	w.stopped = true
	w.mu.Unlock()
	w.timer.Stop()
}

// fire is one look, on the timer's goroutine; it re-arms the timer while
// there are waits.
func (w *watchdog) fire() {
	w.mu.Lock()
	if w.stopped {
		w.mu.Unlock()
		w.running.Store(false)
		return
	}
	now := time.Now()
	w.tickClock(now)
	w.d.checkSpin()
	if now.Sub(w.lastLook) < min(lookShare*w.lookCost, maxLookGap) {
		w.mu.Unlock()
		w.timer.Reset(tick)
		return
	}
	busy := w.check(now)
	w.lastLook, w.lookCost = now, time.Since(now)
	// A fatal blocked-wait waits for the program to be idle: the sink
	// checks with a dump (so at most once per 50 dumps' cost), when no
	// tracked wait has begun or ended since the last time (the tracked
	// program has not moved).
	if busy && now.Sub(w.lastExitAsk) >= max(time.Second, 50*max(w.snapCost, time.Duration(w.d.sink.dumpCost.Load()))) {
		w.lastExitAsk = now
		p := progress{w.d.waitsBegun(), w.waiting}
		if p == w.exitProgress {
			w.d.sink.checkIdleExit()
		}
		w.exitProgress = p
	}
	w.mu.Unlock()
	if !busy {
		w.running.Store(false)
		// A wait that began after the look found the watchdog running and
		// did not start it: look for one now (its start and this look are
		// ordered by running), and take it over unless its nudge did.
		if !w.d.anyWaiting() {
			return
		}
		w.tickClock(time.Now())
		if !w.running.CompareAndSwap(false, true) {
			return
		}
	}
	w.timer.Reset(tick)
}

// dump returns a goroutine dump for the current look, taken at most once
// per look and only before a report: a wait is reported only while its
// goroutine is still in it (see waitSnap.leftIn). w.mu is held.
func (w *watchdog) dump() snapshot {
	if w.snap == nil {
		w.snap = takeSnapshot()
	}
	return w.snap
}

// waiter is a goroutine seen waiting by one look of the watchdog.
type waiter struct {
	g *gstate
	w *waitSnap
}

// waitsBegun returns how many tracked waits the goroutines gridlock knows
// have begun: while it grows, the tracked program moves (a contended lock
// waits briefly again and again, which two looks at who waits now can
// miss). It may also change when the registry forgets exited goroutines.
func (d *Detector) waitsBegun() uint64 {
	var n uint64
	d.reg.each(func(g *gstate) { n += g.waits.Load() })
	return n
}

// anyWaiting reports whether a goroutine is in a tracked wait.
func (d *Detector) anyWaiting() bool {
	found := false
	d.reg.each(func(g *gstate) { found = found || g.waitDepth() > 0 })
	return found
}

// check is one look at the waits. It reports whether there were any.
func (w *watchdog) check(now time.Time) bool {
	d := w.d
	waiters := d.waiters()
	w.waiting = len(waiters)
	// Forget the waits that have ended; note when each new one was first
	// seen.
	firstSeen := make(map[waitKey]time.Time, len(waiters))
	for _, x := range waiters {
		k := x.key()
		if t, ok := w.firstSeen[k]; ok {
			firstSeen[k] = t
		} else {
			firstSeen[k] = now
		}
	}
	w.firstSeen = firstSeen
	for k := range w.reported {
		if _, ok := firstSeen[k]; !ok {
			delete(w.reported, k)
		}
	}
	waiters = slices.DeleteFunc(waiters, func(x waiter) bool { return w.reported[x.key()]&reportedLeft != 0 })
	w.snap = nil // a new look, a new dump if one is needed
	// Waits already seen at an earlier look are looked at (they have
	// lasted at least the time between the two looks: a wait's clock may
	// be up to a tick older than its start, so it cannot tell). A group
	// of them is confirmed stuck when seen stuck, with the same waits, at
	// two looks in a row.
	var old []waiter
	for _, x := range waiters {
		if t := w.firstSeen[x.key()]; t.Before(now) {
			old = append(old, x)
		}
	}
	if len(old) == 0 {
		clear(w.suspects)
		return len(waiters) > 0
	}
	wf := d.buildWaitFor(waiters)
	w.checkDeadlocks(wf, old, now)
	w.checkLeaks(wf, old, now)
	for _, x := range old {
		// The timeout counts from the look that first saw the wait (it
		// began before): a wait is never reported before it has lasted
		// the timeout.
		k := x.key()
		if now.Sub(w.firstSeen[k]) >= d.settings.Timeout && w.reported[k]&reportedBlocked == 0 {
			if x.w.timed() {
				w.reported[k] |= reportedBlocked // waits for time, not for a goroutine
				continue
			}
			if x.w.leftIn(w.dump(), x.g.id) {
				w.reported[k] |= reportedLeft
				continue
			}
			w.reported[k] |= reportedBlocked
			d.reportBlocked(wf, x, now, w.dump())
		}
	}
	return true
}

func (x waiter) key() waitKey { return waitKey{x.g.id, x.w.seq} }

// timed reports whether w is a channel wait with a receive from a timer's
// channel (a select with a time.After case, a ticker loop): however long
// it lasts, it waits for a time, which will come. It is not a blocked-wait
// (it is still a leaked-wait if it is left at the end of a test).
func (w *waitSnap) timed() bool {
	if w.kind != waitChan {
		return false
	}
	for _, op := range w.chans {
		if op.Ch != nil && !op.Send && op.Ch.timer() {
			return true
		}
	}
	return false
}

// waiters returns the goroutines in a tracked wait, with copies of their
// waits.
func (d *Detector) waiters() []waiter {
	var out []waiter
	d.reg.each(func(g *gstate) {
		if s := g.loadWait(); s != nil && !s.onClosed() {
			out = append(out, waiter{g, s})
		}
	})
	return out
}

// onClosed reports whether w is a channel wait with an operation on a
// closed channel (closed by an instrumented close, or by any close as the
// runtime's hchan shows), or on a channel that was garbage collected. Such
// an operation does not block (a receive returns, a send panics; a
// goroutine blocked on a channel keeps it alive), so the goroutine has left
// the wait or is leaving it. A send that panicked leaves its wait
// published (Send, a rewritten send statement or select: a defer would
// cost every blocking send), and the goroutine may still be in a deferred
// function that recovers, where a dump shows the send's frames.
func (w *waitSnap) onClosed() bool {
	if w.kind != waitChan {
		return false
	}
	for _, op := range w.chans {
		if op.Ch != nil && (op.Ch.closed.Load() || op.Ch.runtimeClosed() || op.Ch.collected()) {
			return true
		}
	}
	return false
}

// waitFor is the wait-for graph of one look: who holds what, who waits for
// whom.
type waitFor struct {
	waiting map[int64]waiter
	// holders are the goroutines that hold each lock waited for.
	holders map[*lockRec][]holderRef
	// writersWaiting are goroutines blocked in Lock, per lock: in Go a
	// queued writer blocks new readers.
	writersWaiting map[*lockRec][]int64
	// chanPeers is set by the channel code: goroutines that could complete
	// a channel operation, inferred from their past operations.
	chanPeers func(op ChanOp) []int64
	// groupPeers are the goroutines that could call Done on a WaitGroup or
	// Signal a Cond, inferred.
	objPeers func(rec *lockRec) []int64
}

func (d *Detector) buildWaitFor(waiters []waiter) *waitFor {
	wf := &waitFor{
		waiting:        make(map[int64]waiter, len(waiters)),
		holders:        make(map[*lockRec][]holderRef),
		writersWaiting: make(map[*lockRec][]int64),
		chanPeers:      d.chanPeers,
		objPeers:       d.objPeers,
	}
	targets := make(map[*lockRec]bool)
	for _, x := range waiters {
		wf.waiting[x.g.id] = x
		if x.w.kind == waitLock {
			targets[x.w.rec] = true
			if x.w.mode == modeWrite {
				wf.writersWaiting[x.w.rec] = append(wf.writersWaiting[x.w.rec], x.g.id)
			}
		}
	}
	if len(targets) > 0 {
		d.reg.each(func(g *gstate) {
			for _, h := range g.snapshotHeld() {
				if targets[h.rec] {
					wf.holders[h.rec] = append(wf.holders[h.rec], holderRef{g, h.mode})
				}
			}
		})
	}
	return wf
}

// holderRef is a goroutine holding a lock, in a mode.
type holderRef struct {
	g    *gstate
	mode uint32
}

// blockers returns the goroutines x waits for.
func (wf *waitFor) blockers(x waiter) []int64 {
	var out []int64
	w := x.w
	switch w.kind {
	case waitLock:
		// A writer waits for every holder; a reader for the writer that
		// holds the lock and, in Go, for a writer queued before it. A
		// goroutine waiting for a lock it holds itself waits for itself.
		for _, h := range wf.holders[w.rec] {
			if w.mode == modeWrite || h.mode == modeWrite {
				out = append(out, h.g.id)
			}
		}
		if w.mode == modeRead {
			for _, id := range wf.writersWaiting[w.rec] {
				if id != x.g.id {
					out = append(out, id)
				}
			}
		}
	case waitChan:
		for _, op := range w.chans {
			if wf.chanPeers != nil {
				out = append(out, wf.chanPeers(op)...)
			}
		}
	case waitGroup, waitCond:
		if wf.objPeers != nil {
			out = append(out, wf.objPeers(w.rec)...)
		}
	}
	return out
}

// stillStuck reports whether x's wait can only end by the action of
// goroutines in stuck: for a lock, one stuck blocker is enough (the lock
// needs all of them); for a channel, Cond or WaitGroup wait every goroutine
// that could end it must be stuck, and there must be at least one (for each
// operation of a select, see open).
func (wf *waitFor) stillStuck(x waiter, bs []int64, stuck map[int64]bool) bool {
	if x.w.kind == waitLock {
		for _, b := range bs {
			if stuck[b] {
				return true
			}
		}
		return false
	}
	if len(bs) == 0 {
		return false
	}
	for _, b := range bs {
		if !stuck[b] {
			return false
		}
	}
	return true
}

// open reports whether x is a channel wait with an operation that no
// goroutine is known to be able to complete: a select with a case on a
// channel nobody has operated on in the other direction (a timer's channel,
// ctx.Done(), a channel closed by code that is not instrumented, one that a
// goroutine will use later). Such a wait has a way out gridlock cannot see,
// whatever the other cases' peers do. A nil channel's case never fires and
// is not a way out.
func (wf *waitFor) open(x waiter) bool {
	if x.w.kind != waitChan || wf.chanPeers == nil {
		return false
	}
	for _, op := range x.w.chans {
		if op.Ch != nil && len(wf.chanPeers(op)) == 0 {
			return true
		}
	}
	return false
}

// checkDeadlocks finds the goroutines that are stuck for good: a fixpoint
// over the waiters, starting from all of them and removing each whose wait
// could still be ended by a goroutine that is not stuck. What remains is
// reported when it was already suspect at the previous look.
func (w *watchdog) checkDeadlocks(wf *waitFor, old []waiter, now time.Time) {
	stuck := make(map[int64]bool, len(wf.waiting))
	for id := range wf.waiting {
		stuck[id] = true
	}
	blockers := make(map[int64][]int64, len(wf.waiting))
	for id, x := range wf.waiting {
		blockers[id] = wf.blockers(x)
		if wf.open(x) {
			delete(stuck, id)
		}
	}
	prune := func() {
		for changed := true; changed; {
			changed = false
			for id := range stuck {
				if !wf.stillStuck(wf.waiting[id], blockers[id], stuck) {
					delete(stuck, id)
					changed = true
				}
			}
		}
	}
	prune()
	// The waits were read before the holders: a goroutine whose wait has
	// ended since may look blocked by the lock it has just taken. Keep
	// only goroutines still in the very wait they were seen in; every
	// edge among them was then real while all of them were waiting, and
	// none of them could release anything meanwhile.
	for again := true; again; {
		again = false
		for id := range stuck {
			x := wf.waiting[id]
			if !x.g.inWait(x.w) {
				delete(stuck, id)
				again = true
			}
		}
		if again {
			prune()
		}
	}
	oldSet := make(map[int64]bool, len(old))
	for _, x := range old {
		oldSet[x.g.id] = true
	}
	next := make(map[waitKey]bool)
	var confirmed []int64
	for id := range stuck {
		if !oldSet[id] {
			continue
		}
		x := wf.waiting[id]
		k := x.key()
		next[k] = true
		if w.suspects[k] && (!x.w.inferred() && !wf.selfWait(x) || now.Sub(w.firstSeen[k]) >= w.inferredDelay()) {
			confirmed = append(confirmed, id)
		}
	}
	w.suspects = next
	if len(confirmed) == 0 {
		return
	}
	// Report each strongly connected group once: walk the cycles among the
	// confirmed goroutines.
	conf := make(map[int64]bool, len(confirmed))
	for _, id := range confirmed {
		conf[id] = true
	}
	slices.Sort(confirmed)
	seen := make(map[int64]bool)
	for _, start := range confirmed {
		if seen[start] {
			continue
		}
		// The group is everything start's wait depends on; it is reported
		// once every member is confirmed (seen stuck at two looks).
		group := w.component(start, stuck, blockers)
		whole := true
		for _, id := range group {
			seen[id] = true
			whole = whole && conf[id]
		}
		fresh := false
		for _, id := range group {
			fresh = fresh || w.reported[wf.waiting[id].key()]&reportedDeadlock == 0
		}
		if !whole || !fresh {
			continue
		}
		var members []waiter
		left := false
		for _, id := range group {
			m := wf.waiting[id]
			if m.w.leftIn(w.dump(), id) {
				w.reported[m.key()] |= reportedLeft
				left = true
			}
			members = append(members, m)
		}
		if left {
			continue // looked at again next time, without the waits left behind
		}
		w.d.reportDeadlock(wf, members)
		for _, m := range members {
			w.reported[m.key()] |= reportedBlocked | reportedDeadlock
		}
	}
}

// selfWait reports whether x waits for a lock it holds itself. Another
// goroutine may unlock it (Go's locks are not owned), so such a wait is
// confirmed as a deadlock only once it has lasted inferredDelay, like an
// inferred one; a lock taken again by the frame that holds it is reported
// at once as a double-lock (see Detector.BeforeLock).
func (wf *waitFor) selfWait(x waiter) bool {
	if x.w.kind != waitLock {
		return false
	}
	return slices.ContainsFunc(wf.holders[x.w.rec], func(h holderRef) bool { return h.g == x.g })
}

// inferred reports whether what could end the wait is inferred from past
// operations (a channel or a Cond) rather than known (the holders of a
// lock, the goroutines a WaitGroup started with Go).
func (w *waitSnap) inferred() bool { return w.kind == waitChan || w.kind == waitCond }

// inferredConfirm is how long a goroutine's inferred wait must have lasted
// before a deadlock that includes it is reported. The goroutines that could
// end a channel or Cond wait are inferred from the past: one that has not
// used the channel yet (a heartbeat that sends after a sleep, a
// time.AfterFunc callback) is unknown until it does. A real deadlock lasts
// forever, so waiting a moment loses nothing but the moment; a deadlock of
// locks alone is known for certain and confirmed at two looks.
const inferredConfirm = time.Second

// inferredDelay is inferredConfirm, or the blocked-wait timeout when that
// is shorter (the deadlock report is then not later than the blocked-wait
// report of the same wait).
func (w *watchdog) inferredDelay() time.Duration {
	return min(inferredConfirm, w.d.settings.Timeout)
}

// component returns start and every confirmed goroutine reachable from it
// through blockers, in a deterministic order.
func (w *watchdog) component(start int64, conf map[int64]bool, blockers map[int64][]int64) []int64 {
	out := []int64{start}
	seen := map[int64]bool{start: true}
	for i := 0; i < len(out); i++ {
		for _, b := range blockers[out[i]] {
			if conf[b] && !seen[b] {
				seen[b] = true
				out = append(out, b)
			}
		}
	}
	slices.Sort(out)
	return out
}

// checkLeaks looks, for old lock waits whose holder is not waiting itself,
// whether the holder goroutine has exited: a lock leaked by a goroutine that
// returned or panicked without unlocking, once the wait has lasted
// inferredDelay.
func (w *watchdog) checkLeaks(wf *waitFor, old []waiter, now time.Time) {
	var suspects []waiter
	var holders []*gstate
	for _, x := range old {
		// Another goroutine may still unlock the lock (one goroutine may
		// lock and hand the unlock to another that runs later): the wait
		// must have lasted inferredDelay, as an inferred one.
		if x.w.kind != waitLock || now.Sub(x.w.since) < w.inferredDelay() {
			continue
		}
		for _, h := range wf.holders[x.w.rec] {
			if h.g == x.g || w.leakReported[leakKey{x.w.rec, h.g.id}] {
				continue
			}
			if _, waiting := wf.waiting[h.g.id]; waiting {
				continue
			}
			suspects = append(suspects, x)
			holders = append(holders, h.g)
		}
	}
	if len(suspects) == 0 {
		return
	}
	// A goroutine dump stops the world: keep it rare.
	if now.Sub(w.lastSnap) < max(100*time.Millisecond, 20*w.snapCost) {
		return
	}
	w.lastSnap = now
	snap := takeSnapshot()
	w.snapCost = time.Since(now)
	for i, x := range suspects {
		// Held before the dump, absent from it, still held after it: the
		// holder exited holding the lock (a goroutine cannot come back).
		h := holders[i]
		if _, alive := snap[h.id]; alive || !x.g.inWait(x.w) || !holds(h, x.w.rec) {
			continue
		}
		w.leakReported[leakKey{x.w.rec, h.id}] = true
		w.d.reportLeakedLock(x, h, snap)
	}
}

// holds reports whether g holds rec in any mode.
func holds(g *gstate, rec *lockRec) bool {
	return slices.ContainsFunc(g.snapshotHeld(), func(h heldSnapshot) bool { return h.rec == rec })
}

// LeakedWaits returns the goroutines in a tracked wait now, for test
// verification, as leaked-wait reports (not sent to the sink). A goroutine
// in old (alive before the tests began: package init, TestMain) waiting on
// a timer is the program's periodic work, not a test's leak: left out.
func (d *Detector) LeakedWaits(ignore func(report.Stack) bool, old map[int64]bool) []report.Report {
	// (Where timers cannot be told, see knownLayouts, all of their waits.)
	waiters := slices.DeleteFunc(d.waiters(), func(x waiter) bool { return old[x.g.id] && (!knownLayouts || x.w.timed()) })
	if len(waiters) == 0 {
		return nil
	}
	slices.SortFunc(waiters, func(a, b waiter) int { return int(a.g.id - b.g.id) })
	wf := d.buildWaitFor(waiters)
	snap := takeSnapshot()
	var out []report.Report
	for _, x := range waiters {
		if x.w.leftIn(snap, x.g.id) {
			continue // exited, or out of the operation (see waitSnap.leftIn)
		}
		p := d.blockedPending(report.LeakedWait, wf, x, time.Now(), snap)
		r := d.build(p, snap)
		if ignore != nil && len(r.Goroutines) > 0 && ignore(r.Goroutines[0].Stack) {
			continue
		}
		out = append(out, r)
	}
	return out
}
