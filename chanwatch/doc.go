// Package chanwatch instruments operations on native channels for
// gridlock. Channels stay plain chan T (they keep working with context, time,
// select and code that is not instrumented); chanwatch's functions perform
// the operation and record, per channel and goroutine, who sent, received
// and closed, where and when:
//
//	chanwatch.Send(ch, v)              // ch <- v
//	v := chanwatch.Recv(ch)            // v := <-ch
//	v, ok := chanwatch.Recv2(ch)       // v, ok := <-ch
//	chanwatch.Close(ch)                // close(ch)
//	for v := range chanwatch.Range(ch) // for v := range ch
//
// and CheckSend, Block, Done and Selected bracket a native select statement,
// SendStmt and RecvStmt a native send or receive statement (so that the
// operation, and a goroutine blocked on it, stay in the user's function).
// The gridlock command rewrites a package's channel operations into these
// calls, preserving Go's evaluation order; they can also be written by hand. With
// gridlock off each call is the native operation plus one atomic load.
//
// With gridlock on (see package detect), a send, receive or select blocked
// longer than the timeout is reported (blocked-wait) with the channel, its
// length and capacity, and the goroutines that could unblock it: those that
// operated (or are trying to operate) on it in the other direction, each
// alive, blocked (on what) or exited. That "could unblock" is inferred from past behaviour, and reports
// say so. A goroutine that holds a lock and blocks on a channel whose
// receivers all wait for that lock is a deadlock, reported once all of them
// have been blocked for a second (a goroutine that has not used the channel
// yet may still come; a select with a case that no goroutine is known to
// complete, such as a timer's or ctx.Done(), is never called stuck). Misuse is reported before the runtime panics:
// send-on-closed (with the closer's stack), close-of-closed (with the first
// close), close-of-nil, and nil-channel for a send or receive on a nil
// channel outside select. Own declares ownership rules (SingleSender,
// SingleReceiver, SendersClose) whose violations are reported.
//
// Memory per channel is bounded (the 8 most recent goroutines per
// direction, the others counted), and the record of a channel that is
// garbage collected is dropped.
//
// The GRIDLOCK environment variable turns detection on as it does for
// package detect, also in a program that imports only chanwatch.
package chanwatch

// detect reads GRIDLOCK at start and starts the default detector: without
// it, a program using only chanwatch would never be watched.
import _ "github.com/gridlock-go/gridlock/detect"
