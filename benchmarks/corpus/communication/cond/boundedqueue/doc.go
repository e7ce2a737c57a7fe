// Package boundedqueue is a blocking work queue built on sync.Cond. Close
// marks the queue closed but does not Broadcast, so consumers already
// parked in Get's cond.Wait are never woken and block forever (the consumer
// goroutines leak, and the shutdown that waits for them hangs). Whether a
// consumer is parked at Close time depends on timing. The fix broadcasts in
// Close.
//
// corpus:category communication/cond
// corpus:frames (*Queue).Get (*Queue).Close
package boundedqueue
