// Package batcher groups writes into batches. Its run loop (started by
// NewBatcher) exits when the context is done, but Add sends on the
// unbuffered input channel without watching the context: a producer that
// calls Add after the deadline blocks forever. The deadline races with the
// producer, so only some runs hang. The fix makes Add select on ctx.Done()
// and report an error.
//
// corpus:category communication/channel-context
// corpus:frames (*Batcher).Add
package batcher
