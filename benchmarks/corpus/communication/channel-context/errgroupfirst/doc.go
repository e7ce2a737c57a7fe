// Package errgroupfirst processes a batch with a pool of workers and
// errgroup-style cancellation: the first error cancels the context and
// Process returns it. Workers stop taking jobs once the context is done,
// but they send their results on an unbuffered channel without watching the
// context, and Process has stopped receiving: the workers that were busy
// block forever (a leak). Errors are random, so only some runs leak. The
// fix selects on the result send and ctx.Done(), and waits for the workers.
//
// corpus:category communication/channel-context
// corpus:frames worker Process
package errgroupfirst
