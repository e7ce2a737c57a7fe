package chanwatch

import (
	"iter"
	"unsafe"

	"github.com/gridlock-go/gridlock/internal/core"
	"github.com/gridlock-go/gridlock/internal/report"
)

// chanPtr returns the runtime pointer of a channel: its identity.
func chanPtr[C any](ch C) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&ch)) }

// Make returns a new channel of the given buffer size whose reports use name
// instead of its creation site. The name is recorded when gridlock is
// enabled.
func Make[T any](size int, name string) chan T {
	ch := make(chan T, size)
	if d := core.Active(); d != nil {
		var pcs core.PCs
		core.Capture(&pcs)
		d.NameChan(chanPtr(ch), size, name, &pcs)
	}
	return ch
}

// Send sends v on ch, as the statement ch <- v.
func Send[T any](ch chan<- T, v T) {
	if core.Active() != nil {
		sendSlow(ch, v, false)
		return
	}
	ch <- v
}

// SendRecovered is Send in a function that recovers panics (gridlock test
// rewrites a send there to it): a send on a closed channel is not reported,
// since the panic may be caught on purpose ("send unless closed").
func SendRecovered[T any](ch chan<- T, v T) { sendSlow(ch, v, true) }

// sendSlow is Send past its check (tracked if gridlock is still on);
// recovered says not to report a send on a closed channel. Its stack
// capture names its caller's caller, the send's site: no function may come
// between it and Send.
func sendSlow[T any](ch chan<- T, v T, recovered bool) {
	d := core.Active()
	if d == nil {
		ch <- v
		return
	}
	var pcs core.PCs
	if ch == nil {
		core.Capture(&pcs)
		d.ReportNil(report.NilChannel, opName(true))
		d.ChanWait([]core.ChanOp{{}}, &pcs) // a nil channel
		ch <- v                             // blocks forever, as the statement would
		return
	}
	// Recorded before the send: the goroutine it wakes (on this P, next)
	// runs sooner. A sender is a peer of the channel's receivers from the
	// moment it tries.
	// Not for a recovered send: one that panics on a closed channel
	// would leave a wait published (see below).
	c, t := d.BeginChanOp(&pcs, chanPtr(ch), core.OpSend, !recovered, !recovered)
	if t == (core.WaitToken{}) { // else its last send here blocked: no try
		select {
		case ch <- v:
			return
		default:
		}
		t = d.WaitCall(c, true, &pcs)
	}
	// A send that panics (the channel closed before or meanwhile) leaves
	// its wait published, as a rewritten send statement does: the
	// goroutine's next wait replaces it, and the watchdog ignores a wait on
	// a closed channel (closed by any close, as the runtime's channel
	// shows, when gridlock knows its layout) or a collected one (see core's
	// waitSnap.onClosed), and one its goroutine has left (leftIn). A defer
	// would cost every blocking send.
	ch <- v
	d.ChanWaitDone(t)
}

// Recv receives from ch, as the expression <-ch.
func Recv[T any](ch <-chan T) T {
	if core.Active() != nil {
		return recvSlow(ch, nil)
	}
	return <-ch
}

// Recv2 receives from ch, as the expression v, ok := <-ch.
func Recv2[T any](ch <-chan T) (v T, ok bool) {
	if core.Active() != nil {
		v = recvSlow(ch, &ok)
		return v, ok
	}
	v, ok = <-ch
	return v, ok
}

// recvSlow is Recv and Recv2 past their check (tracked if gridlock is still
// on). It stores the receive's second value in *okp unless okp is nil: one
// result keeps Recv and Recv2 small enough to inline.
func recvSlow[T any](ch <-chan T, okp *bool) (v T) {
	var ok bool
recv:
	switch d := core.Active(); {
	case d == nil:
		v, ok = <-ch
	case ch == nil:
		var pcs core.PCs
		core.Capture(&pcs)
		d.ReportNil(report.NilChannel, opName(false))
		d.ChanWait([]core.ChanOp{{}}, &pcs) // a nil channel
		<-ch                                // blocks forever
	default:
		var pcs core.PCs
		// Recorded before, as in sendSlow; t is the wait begun when the
		// goroutine's last receive here blocked: no try then.
		c, t := d.BeginChanOp(&pcs, chanPtr(ch), core.OpRecv, false, true)
		if t == (core.WaitToken{}) {
			select {
			case v, ok = <-ch:
				break recv
			default:
			}
			t = d.WaitCall(c, false, &pcs)
		}
		v, ok = <-ch
		d.ChanWaitDone(t)
	}
	if okp != nil {
		*okp = ok
	}
	return v
}

// TrySend sends v on ch if that does not block, and reports whether it did.
func TrySend[T any](ch chan<- T, v T) bool {
	d := core.Active()
	if d != nil && ch != nil {
		var pcs core.PCs
		core.Capture(&pcs)
		c := d.Call(chanPtr(ch), cap(ch), &pcs)
		d.BeforeSend(c.Rec())
		select {
		case ch <- v:
			d.DidCall(c, core.OpSend, &pcs)
			return true
		default:
			return false
		}
	}
	select {
	case ch <- v:
		return true
	default:
		return false
	}
}

// TryRecv receives from ch if that does not block. received reports whether
// a receive happened; ok is false when it observed ch closed.
func TryRecv[T any](ch <-chan T) (v T, ok, received bool) {
	select {
	case v, ok = <-ch:
	default:
		return v, false, false
	}
	if d := core.Active(); d != nil {
		var pcs core.PCs
		core.Capture(&pcs)
		d.DidCall(d.Call(chanPtr(ch), cap(ch), &pcs), core.OpRecv, &pcs)
	}
	return v, ok, true
}

// Close closes ch, as close(ch). A second close is reported
// (close-of-closed, with the first close's stack) and so is a close of a
// nil channel, before the runtime panics.
func Close[T any](ch chan<- T) { closeTracked(ch, false) }

// CloseRecovered is Close in a function that recovers panics (gridlock test
// rewrites a close there to it): a close of a closed channel is not
// reported, since the panic may be caught on purpose ("close unless
// closed"). A close of a nil channel still is.
func CloseRecovered[T any](ch chan<- T) { closeTracked(ch, true) }

func closeTracked[T any](ch chan<- T, recovered bool) {
	if d := core.Active(); d != nil {
		var pcs core.PCs
		core.Capture(&pcs)
		if ch == nil {
			d.ReportNil(report.CloseOfNil, "close")
		} else {
			d.CloseChan(d.Chan(chanPtr(ch), cap(ch), &pcs), &pcs, recovered)
		}
	}
	close(ch)
}

// DeferClose is a deferred close(ch): gridlock test rewrites the statement
// defer close(ch) as defer chanwatch.DeferClose(ch)(). When the defer
// statement runs, it records that the goroutine will close ch when it
// returns (so a goroutine waiting on ch waits for it, even before it has
// sent anything), and it returns the close, run by the defer as Close.
func DeferClose[T any](ch chan<- T) func() {
	if d := core.Active(); d != nil && ch != nil {
		var pcs core.PCs
		core.Capture(&pcs)
		d.WillClose(d.Chan(chanPtr(ch), cap(ch), &pcs), &pcs)
	}
	return func() { Close(ch) }
}

// Range yields the values received from ch until it is closed, as
// for v := range ch.
func Range[T any](ch <-chan T) iter.Seq[T] {
	if core.Active() == nil {
		// Off: the native loop (gridlock enabled later is not seen by
		// this loop).
		return func(yield func(T) bool) {
			for v := range ch {
				if !yield(v) {
					return
				}
			}
		}
	}
	return func(yield func(T) bool) {
		for {
			var ok bool
			v := recvSlow(ch, &ok) // Recv2 past its check: one call less
			if !ok || !yield(v) {
				return
			}
		}
	}
}

// Rule is an ownership rule a channel can be declared to follow.
type Rule uint32

// The ownership rules.
const (
	// SingleSender: one goroutine sends (an spmc channel).
	SingleSender = Rule(core.SingleSender)
	// SingleReceiver: one goroutine receives (an mpsc channel).
	SingleReceiver = Rule(core.SingleReceiver)
	// SendersClose: only a goroutine that has sent on the channel closes it.
	SendersClose = Rule(core.SendersClose)
)

// Own declares that ch follows rules; a violation is reported (ownership)
// with the stacks of both goroutines. It does nothing when gridlock is off.
func Own[T any](ch chan T, rules ...Rule) {
	d := core.Active()
	if d == nil || ch == nil {
		return
	}
	var pcs core.PCs
	core.Capture(&pcs)
	var all uint32
	for _, r := range rules {
		all |= uint32(r)
	}
	d.Own(d.Chan(chanPtr(ch), cap(ch), &pcs), all)
}
