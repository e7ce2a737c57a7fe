package core

import (
	"sync/atomic"
	"time"

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

// waitRec is one blocked operation of one goroutine.
type waitRec struct {
	kind  waitKind
	rec   *lockRec // the lock, WaitGroup or Cond waited for
	mode  uint32   // for locks
	pcs   PCs
	seq   uint64
	since time.Time

	// prev is the wait this one interrupted: Cond.Wait re-locking its L.
	prev *waitRec

	// chans are the channel operations a channel wait or select waits on.
	chans []ChanOp
	one   [1]ChanOp // chans of a single send or receive, without an allocation

	blockedReported  atomic.Bool
	deadlockReported atomic.Bool
}

// ChanOp is one channel operation a goroutine may wait on.
type ChanOp struct {
	Ch   *ChanRec
	Send bool
}

var epoch = time.Now()

func (d *Detector) beginWait(g *gstate, w *waitRec) *waitRec {
	g.waits++ // only the owner counts its waits
	w.seq = g.waits
	w.since = time.Now()
	w.prev = g.wait.Load()
	g.wait.Store(w)
	d.wd.nudge()
	return w
}

func (d *Detector) endWait(g *gstate, w *waitRec) {
	g.wait.Store(w.prev)
}

// WaitToken is a wait in progress on a WaitGroup, Cond or channel.
type WaitToken struct {
	g *gstate
	w *waitRec
}

// beginObjWait records that the calling goroutine blocks in WaitGroup.Wait
// or Cond.Wait.
func (d *Detector) beginObjWait(kind waitKind, rec *lockRec, pcs *PCs) WaitToken {
	g := d.reg.current()
	return WaitToken{g, d.beginWait(g, &waitRec{kind: kind, rec: rec, pcs: *pcs})}
}

// waitDesc describes what w waits for, for reports.
func (w *waitRec) desc() string {
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

func (w *waitRec) objects() []report.Object {
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
