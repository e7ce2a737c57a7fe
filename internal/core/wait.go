package core

import (
	"runtime"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/gridlock-go/gridlock/internal/report"
)

// waitKind says what a goroutine waits for.
type waitKind uint8

const (
	waitLock waitKind = iota
	waitGroup
	waitCond
	waitChan
)

// waitRec is one blocked operation of one goroutine. A goroutine reuses
// its own records (gstate.slots), so that a wait costs no allocation. The
// owner writes a record with the protocol of the held list (see gstate)
// before publishing it by raising its wait depth. Other goroutines never
// keep a *waitRec: they copy it into a waitSnap with gstate.loadWait.
type waitRec struct {
	// seq numbers the goroutine's waits (the first is 1), so that a reader
	// can tell a wait from a later one in the same record (gstate.inWait).
	seq uint64

	kind  waitKind
	rec   *lockRec // the lock, WaitGroup or Cond waited for
	mode  uint32   // for locks
	pcs   PCs
	since int64 // the watchdog's clock when the wait began (see watchdog.clock)
	depth int   // the wait depth while it is on: its slot's index + 1

	// chans are the channel operations a channel wait or select waits on;
	// the slice is the record's own buffer, reused.
	chans []ChanOp
}

// waitSnap is a copy of a waitRec, taken by another goroutine than its
// owner: the watchdog, reports.
//
// A wait whose operation panicked without ending it (a select's send on a
// channel closed meanwhile, recovered by the program) stays published until
// its goroutine's next wait: before a wait is reported, its goroutine's
// stack in a goroutine dump must still hold the wait's call site (see
// leftIn).
type waitSnap struct {
	ptr   *waitRec // the record, to tell whether the wait is still on
	seq   uint64
	kind  waitKind
	rec   *lockRec
	mode  uint32
	pcs   PCs
	since time.Time
	chans []ChanOp
}

// ChanOp is one channel operation a goroutine may wait on.
type ChanOp struct {
	Ch   *ChanRec
	Send bool
}

var epoch = time.Now()

// dropLeftWaits unpublishes the waits g, the calling goroutine, left
// without ending them, before it begins another: only Cond.Wait has a wait
// inside it (re-locking its L); any other wait still published was left
// when its operation panicked and the panic was recovered.
//
//go:noinline
func (g *gstate) dropLeftWaits() {
	for g.depth > 0 && g.slots[g.depth-1].kind != waitCond {
		g.depth--
	}
	g.publish(g.count())
}

// endWait records that g's wait w is over (and any wait begun inside it
// that was not ended). Called by the owner.
func (d *Detector) endWait(g *gstate, w *waitRec) {
	if w == nil {
		return
	}
	g.depth = w.depth - 1
	g.publish(g.count())
}

// loadWait returns a copy of the wait g is blocked in (its innermost), or
// nil when it runs. Any goroutine may call it.
func (g *gstate) loadWait() *waitSnap {
	if g.waitDepth() == 0 {
		return nil
	}
	g.lockForRead()
	defer g.unlockForRead()
	depth := g.waitDepth()
	if depth == 0 {
		return nil
	}
	w := &g.slots[depth-1]
	return &waitSnap{
		ptr: w, seq: w.seq,
		kind: w.kind, rec: w.rec, mode: w.mode, pcs: w.pcs,
		since: epoch.Add(time.Duration(w.since)),
		chans: slices.Clone(w.chans),
	}
}

// inWait reports whether g is still in the wait s was copied from, and
// not in another one begun inside it.
func (g *gstate) inWait(s *waitSnap) bool {
	g.lockForRead()
	defer g.unlockForRead()
	depth := g.waitDepth()
	return depth > 0 && &g.slots[depth-1] == s.ptr && s.ptr.seq == s.seq
}

// WaitToken is a wait in progress on a WaitGroup, Cond or channel.
type WaitToken struct {
	g *gstate
	w *waitRec
}

// beginWait records that g, the calling goroutine, is about to block: on
// rec (a lock taken in mode, a WaitGroup or a Cond) or on the channel
// operations ops, which are copied. It returns nil when g is too deep in
// waits to track another.
func (d *Detector) beginWait(g *gstate, kind waitKind, rec *lockRec, mode uint32, pcs *PCs, ops []ChanOp) *waitRec {
	if g.depth > 0 && g.slots[g.depth-1].kind != waitCond {
		g.dropLeftWaits()
	}
	if g.depth >= len(g.slots) {
		return nil
	}
	w := &g.slots[g.depth] // not published: the depth is below it
	locked := g.readers.Load() != 0
	if locked {
		g.mu.Lock() // a reader is announced: it must not see w half written
	}
	w.kind, w.rec, w.mode = kind, rec, mode
	w.pcs = *pcs // apart: in the assignment above, copied twice
	w.chans = append(w.chans[:0], ops...)
	w.depth = g.depth + 1
	n := g.waits.Load() + 1 // only the owner counts its waits
	storeRelease((*uint64)(unsafe.Pointer(&g.waits)), n)
	w.since = d.wd.clockForWait()
	w.seq = n
	g.depth = w.depth
	// Publish. A sequentially consistent store, though it only raises the
	// depth: nudge loads running next, and the watchdog, about to stop,
	// stores running and then looks for waits. A release store could pass
	// that load: this goroutine would see the watchdog running, the
	// watchdog see no wait, and the wait go unseen for good (a litmus test
	// saw it 137 times in 50,000 rounds here).
	g.publish(g.count())
	if locked {
		g.mu.Unlock()
	}
	d.wd.nudge()
	return w
}

// beginObjWait records that the calling goroutine blocks in WaitGroup.Wait
// or Cond.Wait.
func (d *Detector) beginObjWait(kind waitKind, rec *lockRec, pcs *PCs) WaitToken {
	g := d.reg.current()
	return WaitToken{g, d.beginWait(g, kind, rec, 0, pcs, nil)}
}

// desc describes what w waits for, for reports.
func (w *waitSnap) desc() string {
	switch w.kind {
	case waitLock:
		if w.mode == modeRead {
			return w.rec.name() + " (read)"
		}
		return w.rec.name()
	case waitGroup:
		return w.rec.name() + ".Wait"
	case waitCond:
		return w.rec.name() + ".Wait"
	case waitChan:
		return chanOpsDesc(w.chans)
	}
	return "?"
}

func (w *waitSnap) objects() []report.Object {
	if w.kind == waitChan {
		var out []report.Object
		for _, op := range w.chans {
			if op.Ch != nil {
				out = append(out, op.Ch.object())
			}
		}
		return out
	}
	if w.rec == nil {
		return nil
	}
	return []report.Object{w.rec.object()}
}

// leftIn reports whether the goroutine of w is not in w's operation any
// more in the dump snap: it has exited, or its stack does not hold the
// function where the wait began (gridlock's operation that waits, Lock,
// Send..., or the user's function for a select or statement, which waits
// there after Block). A gridlock frame alone does not keep the wait: the
// goroutine may be in another gridlock call, the wait left behind by a send
// that panicked and was recovered. A wait whose site cannot be told is
// kept, as is one whose goroutine shows nothing but gridlock's and the
// runtime's frames (a wrapper of "go f()" is hidden in dumps). Dumps hide
// the compiler's wrappers (defer wg.Wait(), a method value wg.Wait): a
// site in one is the wrapper and the first frame below it that is not one.
func (w *waitSnap) leftIn(snap snapshot, g int64) bool {
	gd := snap[g]
	if gd == nil {
		return true
	}
	if w.pcs[0] == 0 {
		return false
	}
	site := make(map[string]bool)
	frames := runtime.CallersFrames(w.pcs[:trimPCs(w.pcs[:])])
	for {
		f, more := frames.Next()
		if f.Function != "" {
			site[f.Function] = true
		}
		if !more || !isWrapper(f) {
			break
		}
	}
	if len(site) == 0 {
		return false
	}
	user := false
	for _, f := range gd.stack {
		if site[f.Function] {
			return false
		}
		user = user || !isInternal(f.Function) && !isRuntime(f.Function)
	}
	return user
}

// isWrapper reports whether f is a function the compiler generated around
// a call, which goroutine dumps leave out (a deferred or go'd call's
// wrapper, a method value's), or the runtime's, which calls a deferred
// function when defers are not open-coded (under -race).
func isWrapper(f runtime.Frame) bool {
	return f.File == "<autogenerated>" || strings.HasSuffix(f.Function, "-fm") || isRuntime(f.Function) ||
		strings.Contains(f.Function, ".deferwrap") || strings.Contains(f.Function, ".gowrap")
}
