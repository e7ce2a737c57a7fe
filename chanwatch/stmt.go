package chanwatch

import (
	"github.com/gridlock-go/gridlock/internal/core"
	"github.com/gridlock-go/gridlock/internal/report"
)

// Stmt is a send or receive statement in progress, written by the gridlock
// command in the function that holds the statement, so that a goroutine
// blocked on it has that function on top of its stack (as without
// gridlock; goleak.IgnoreTopFunction still matches it):
//
//	c, x := ch, v // the operands, once, in Go's order
//	s := chanwatch.SendStmt(c)
//	select {
//	case c <- x:
//	default:
//		w := s.Block()
//		c <- x
//		w.End()
//	}
//
// and the same with RecvStmt for <-ch, v = <-ch, v, ok := <-ch, return <-ch
// and for v := range ch. One call (core's BeginChanOp) serves the whole
// statement unless it blocks. The operation is recorded before it is tried
// (as Send and Recv do).
type Stmt struct {
	d     *core.Detector
	c     core.ChanCall
	pcs   core.PCs
	send  bool
	isNil bool
}

// SendStmt starts a send statement on ch: it reports a send on a channel
// closed by an instrumented close (send-on-closed, with the closer's stack)
// before the send panics.
func SendStmt[T any](ch chan<- T) Stmt {
	d := core.Active()
	if d == nil {
		return Stmt{}
	}
	s := Stmt{d: d, send: true, isNil: ch == nil}
	if ch == nil {
		core.Capture(&s.pcs)
		return s
	}
	s.c, _ = d.BeginChanOp(&s.pcs, chanPtr(ch), core.OpSend, true, false)
	return s
}

// RecvStmt starts a receive statement on ch.
func RecvStmt[T any](ch <-chan T) Stmt {
	d := core.Active()
	if d == nil {
		return Stmt{}
	}
	s := Stmt{d: d, isNil: ch == nil}
	if ch == nil {
		core.Capture(&s.pcs)
		return s
	}
	s.c, _ = d.BeginChanOp(&s.pcs, chanPtr(ch), core.OpRecv, false, false)
	return s
}

// opName names a send or a receive in reports.
func opName(send bool) string {
	if send {
		return "send"
	}
	return "receive"
}

// StmtWait is a statement's wait, from Block to End.
type StmtWait struct {
	d *core.Detector
	t core.WaitToken
}

// Block records that the statement is about to block (its try found the
// channel not ready). On a nil channel it reports nil-channel: the
// statement blocks forever.
func (s *Stmt) Block() StmtWait {
	if s.d == nil {
		return StmtWait{}
	}
	if s.isNil {
		s.d.ReportNil(report.NilChannel, opName(s.send))
		return StmtWait{s.d, s.d.ChanWait([]core.ChanOp{{Send: s.send}}, &s.pcs)}
	}
	return StmtWait{s.d, s.d.WaitCall(s.c, s.send, &s.pcs)}
}

// End ends the wait begun by Block.
func (w StmtWait) End() {
	if w.d != nil {
		w.d.ChanWaitDone(w.t)
	}
}
