package core

import (
	"sync"
	"sync/atomic"
	"unsafe"
)

// The fast paths of the lock facades: Lock, RLock, Unlock and RUnlock by a
// goroutine whose state is cached, of a lock that has its record, whose
// lock-order edges are all known, that nobody else is reading or changing.
// Each does, in one call, what BeforeLock, Acquired, BeginRelease and
// EndRelease do step by step: a Lock/Unlock pair made of those steps cost
// ten calls and 3.4x sync.Mutex (5.6x in the host's slow phases, which run
// wide code at half speed), this path costs two calls and 2.5x (3.8x).
// Whatever they do not cover they leave to the steps: nothing is recorded
// before they return false.

// LockStatus is what LockFast did.
type LockStatus uint8

const (
	// LockSlow: nothing was done; the facade takes the general path.
	LockSlow LockStatus = iota
	// Locked: the lock is taken and recorded.
	Locked
	// MustWait: the lock is taken by someone else. op is ready: the
	// facade calls Wait, blocks for the lock, then calls Acquired.
	MustWait
)

// LockFast is Lock (mode ModeWrite) or RLock (ModeRead) of the lock whose
// State is st and whose real lock is mu (a Mutex, mode ModeWrite) or rw (an
// RWMutex), when gridlock has nothing to check or learn: the goroutine
// holds no lock, or only locks whose edges into this one are known. It
// tries the real lock itself.
//
//go:noinline
func (d *Detector) LockFast(op *Op, st *State, self unsafe.Pointer, mode uint32, mu *sync.Mutex, rw *sync.RWMutex) LockStatus {
	// The stack first, with the goroutine (one call for both), into this
	// frame: the slot is written once the lock is taken (see below).
	var pcs PCs
	_, gp := fpWalk(&pcs[0], nPCs, 1)
	id := goidOf(gp)
	g := d.reg.cached(id)
	if g == nil || g.depth != 0 {
		return LockSlow
	}
	rec := st.own(d, self)
	if rec == nil {
		return LockSlow // first use, another detector's record, or a copy
	}
	n := g.count()
	if n == len(g.held) || g.dirty.Load() {
		return LockSlow
	}
	for i := range n {
		h := g.held[i].rec
		if h == rec {
			return LockSlow // a double lock or a recursive RLock
		}
		if h != nil && h.det == d && !rec.knowsEdgeFrom(h) {
			return LockSlow // an edge to learn (BeforeLock's test)
		}
	}
	var ok bool
	switch { // the real lock, tried
	case mu != nil:
		ok = mu.TryLock()
	case mode == modeWrite:
		ok = rw.TryLock()
	default:
		ok = rw.TryRLock()
	}
	if !ok && mu != nil && d.spin.Load() {
		// Spin first, as sync.Mutex.Lock does before it parks (4 rounds of
		// 30 pauses, on more than one CPU and P, not in starvation mode): a
		// lock held for a few instructions is often free by then, and the
		// wait record costs more than the spin. Contended Lock/Unlock:
		// 1.74x sync -> 1.05x. (sync's RWMutex does not spin.)
		for i := 0; !ok && i < 4 && atomic.LoadInt32((*int32)(unsafe.Pointer(mu)))&mutexStarving == 0; i++ {
			procYield(30)
			ok = mu.TryLock()
		}
	}
	if !ok {
		op.g, op.rec, op.self, op.mode, op.pcs = g, rec, self, mode, pcs
		return MustWait
	}
	// The lock is taken: its atomic read-modify-write orders the store of
	// the last dropTop before this check of readers (see dropTop).
	if g.readers.Load() != 0 || g.dirty.Load() {
		g.push(rec, self, mode, &pcs)
		return Locked
	}
	// The slot at n is not published: only this goroutine looks at it.
	g.held[n].set(rec, self, mode, &pcs)
	g.publishRaise(n + 1)
	return Locked
}

// mutexStarving is the bit of sync.Mutex's state word (its first field, see
// detect's TestSyncMutexLayout) that says it is in starvation mode: it
// hands itself to the waiter first in line, and TryLock fails meanwhile.
const mutexStarving = 4

// UnlockFast is Unlock (mode ModeWrite) or RUnlock (ModeRead) of the lock
// self, whose State is st and whose real lock is mu or rw as for LockFast,
// when the lock is the last one the goroutine took and nobody else is
// reading its state. It unlocks the real lock itself; false means it did
// nothing.
//
//go:noinline
func (d *Detector) UnlockFast(st *State, self unsafe.Pointer, mode uint32, mu *sync.Mutex, rw *sync.RWMutex) bool {
	rec := st.own(d, self)
	if rec == nil {
		return false // a copy's record: the general path checks the real lock
	}
	// The unlock's site, with the goroutine (one call for both; a few ns
	// inside the critical section, where the general path walks after it).
	var pcs PCs
	_, gp := fpWalk(&pcs[0], nShort, 1)
	id := goidOf(gp)
	g := d.reg.cached(id)
	if g == nil || g.depth != 0 || len(g.tentative) != 0 || !g.isTop(rec, mode) {
		return false
	}
	st.noteUnlocker(id)
	switch {
	case mu != nil:
		mu.Unlock()
	case mode == modeWrite:
		rw.Unlock()
	default:
		rw.RUnlock()
	}
	// After the real unlock: touches gridlock's records only (the lock
	// may be reused by now).
	g.dropTop()
	rec.noteUnlock(&pcs)
	return true
}

// BeginChanOp starts a send (kind OpSend) or receive (OpRecv) of the calling
// goroutine on the channel whose runtime pointer is ch (not nil), in one
// call: it captures the operation's site into pcs, finds the goroutine's
// state and the channel's record, reports a send on a channel closed by an
// instrumented close (when check), and records the operation as Did does,
// before it is tried (see chanwatch). The facade then tries the operation
// and, when it would block, calls WaitCall.
//
// Its fast path is a goroutine that did the same operation on the same
// channel from the same site before (a loop): its channel cache holds the
// channel's record (still of ch, see ChanRec.handleIs) and its participant
// (cached with the record only, and only with knownLayouts; not evicted,
// and at the site of pcs), which only counts the operation.
// When mayWait and that goroutine's last try of the operation at this site
// on this channel failed (as one side of a ping-pong always does), BeginChanOp
// also begins the wait and returns it (else the zero WaitToken): the
// facade skips its try, which would fail, and WaitCall, blocks at once and
// ends that wait. Every 16th operation is tried again, so a site that stops
// blocking is found out. A wait begun for an operation that then does
// not block lasts as long as the operation: a short wait, which two looks
// rarely see (and a report needs a dump that shows the goroutine in the
// operation).
//
//go:noinline
func (d *Detector) BeginChanOp(pcs *PCs, ch unsafe.Pointer, kind ChanKind, check, mayWait bool) (ChanCall, WaitToken) {
	_, gp := fpWalk(&pcs[0], nPCs, 1)
	g := d.reg.cached(goidOf(gp))
	if g == nil {
		return d.beginChanOpSlow(d.reg.current(), pcs, ch, kind, check)
	}
	send := kind == OpSend
	c := &g.chans[(uintptr(ch)>>5)%chanCacheSize]
	p := c.parts[dirOf(kind)]
	if p == nil || p.gone.Load() || !p.at(pcs) || !c.rec.handleIs(ch) {
		return d.beginChanOpSlow(g, pcs, ch, kind, check)
	}
	r := c.rec
	if send && check {
		d.BeforeSend(r)
	}
	if p.bump() { // again's count, its site known equal
		p.sixteenth(d) // and tried again
	} else if p.blocks && mayWait {
		return ChanCall{g, r, p}, WaitToken{g, d.beginOpWait(g, r, send, pcs)}
	}
	return ChanCall{g, r, p}, WaitToken{}
}

// beginChanOpSlow is BeginChanOp past its fast path for g, the calling
// goroutine, its stack in pcs.
//
//go:noinline
func (d *Detector) beginChanOpSlow(g *gstate, pcs *PCs, ch unsafe.Pointer, kind ChanKind, check bool) (ChanCall, WaitToken) {
	r := d.chanOf(g, ch, chanCap(ch), pcs)
	if kind == OpSend && check {
		d.BeforeSend(r)
	}
	p := d.did(g.id, r, kind, pcs)
	if c := &g.chans[(uintptr(ch)>>5)%chanCacheSize]; c.rec == r && knownLayouts {
		c.parts[dirOf(kind)] = p
	}
	return ChanCall{g, r, p}, WaitToken{}
}
