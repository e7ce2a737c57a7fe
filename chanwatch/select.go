package chanwatch

import (
	"unsafe"

	"github.com/gridlock-go/gridlock/internal/core"
	"github.com/gridlock-go/gridlock/internal/report"
)

// Op is one communication of a select statement: a send or a receive on a
// channel. Build it with SendOp or RecvOp.
type Op struct {
	ch   unsafe.Pointer
	cap  int
	send bool
}

// RecvOp describes a receive case on ch.
func RecvOp[T any](ch <-chan T) Op { return Op{ch: chanPtr(ch), cap: cap(ch)} }

// SendOp describes a send case on ch.
func SendOp[T any](ch chan<- T) Op { return Op{ch: chanPtr(ch), cap: cap(ch), send: true} }

// Wait is a select blocked on a set of operations; see Block.
type Wait struct {
	d   *core.Detector
	t   core.WaitToken
	pcs core.PCs
}

// Block records that the calling goroutine is about to block in a select
// statement on ops (after a non-blocking attempt found no case ready). The
// caller runs the blocking select and then calls Done with the index of the
// case that proceeded. Instrumented code looks like:
//
//	c0, c1, v1 := a, b, x // operands, once, in source order
//	i := -1
//	select {
//	case r0 = <-c0: i = 0
//	case c1 <- v1: i = 1
//	default:
//	}
//	if i < 0 {
//		w := chanwatch.Block(chanwatch.RecvOp(c0), chanwatch.SendOp(c1))
//		select {
//		case r0 = <-c0: i = 0
//		case c1 <- v1: i = 1
//		}
//		w.Done(i)
//	} else {
//		chanwatch.Selected(...the op of case i...)
//	}
func Block(ops ...Op) Wait {
	d := core.Active()
	if d == nil {
		return Wait{}
	}
	w := Wait{d: d}
	core.Capture(&w.pcs)
	// The detector copies the operations into the goroutine's wait
	// record: a select of usual size needs no allocation.
	var buf [8]core.ChanOp
	cops := buf[:0]
	live := 0
	for _, op := range ops {
		cop := core.ChanOp{Send: op.send}
		if op.ch != nil {
			cop.Ch = d.Chan(op.ch, op.cap, &w.pcs)
			live++
		}
		cops = append(cops, cop)
	}
	if live == 0 && len(ops) > 0 {
		// Every operation is on a nil channel: it blocks forever.
		what := "select"
		if len(ops) == 1 {
			what = opName(ops[0].send)
		}
		d.ReportNil(report.NilChannel, what)
	}
	w.t = d.ChanWait(cops, &w.pcs)
	return w
}

// Done ends the wait started by Block; fired is the index in Block's ops of
// the case that proceeded.
func (w Wait) Done(fired int) {
	if w.d == nil {
		return
	}
	op, ok := w.d.ChanWaitFired(w.t, fired)
	if !ok || op.Ch == nil {
		return
	}
	kind := core.OpRecv
	if op.Send {
		kind = core.OpSend
	}
	w.d.Did(op.Ch, kind, &w.pcs)
}

// CheckSend is called for each send case of a select statement, after its
// operands are evaluated and before the select: a send case on a closed
// channel makes the select panic when it picks it, so it is reported
// (send-on-closed, with the closer's stack) before.
func CheckSend[T any](ch chan<- T) {
	d := core.Active()
	if d == nil || ch == nil {
		return
	}
	var pcs core.PCs
	core.Capture(&pcs)
	d.BeforeSend(d.Chan(chanPtr(ch), cap(ch), &pcs))
}

// Selected records that op proceeded in a select statement that did not
// block.
func Selected(op Op) {
	d := core.Active()
	if d == nil || op.ch == nil {
		return
	}
	var pcs core.PCs
	core.Capture(&pcs)
	kind := core.OpRecv
	if op.send {
		kind = core.OpSend
	}
	d.DidCall(d.Call(op.ch, op.cap, &pcs), kind, &pcs)
}

// StmtZero returns the zero value of ch's element type. Rewritten code
// uses it to declare, with the types Go would infer, the variables of a
// receive statement v := <-ch, which becomes a statement in the function
// that holds it (see Stmt):
//
//	c := ch
//	v := chanwatch.StmtZero(c)
//	{ s := chanwatch.RecvStmt(c); select { case v = <-c:
//	  default: w := s.Block(); v = <-c; w.End() } }
func StmtZero[T any](ch <-chan T) (v T) { return v }

// StmtZero2 is StmtZero for v, ok := <-ch.
func StmtZero2[T any](ch <-chan T) (v T, ok bool) { return v, false }
