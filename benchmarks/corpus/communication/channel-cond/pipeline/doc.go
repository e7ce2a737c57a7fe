// Package pipeline is a two-stage ingestion pipeline joined by a bounded
// buffer built on sync.Cond. The intake goroutine reads records from a
// channel and Pushes them (waiting on the cond while the buffer is full);
// the emitter Pops (waiting while empty) and sends on the output channel.
// Run feeds the whole batch before it starts reading the output: with a
// batch larger than the buffer plus slack, the emitter blocks on its send,
// the intake on the cond, and Run on its send to the intake: a cycle
// through channels and a cond. Batch sizes vary, so it hangs sometimes.
// The fix feeds the batch from its own goroutine while Run reads the output.
//
// corpus:category communication/channel-cond
// corpus:frames (*Buffer).Push (*Pipeline).Run
package pipeline
