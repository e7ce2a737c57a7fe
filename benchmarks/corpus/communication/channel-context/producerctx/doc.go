// Package producerctx streams IDs from a paginated source. Stream's producer
// goroutine checks ctx.Done() before fetching each page but sends each item
// on an unbuffered channel with a plain send. The consumer stops reading as
// soon as it found what it looks for and cancels the context: the producer,
// blocked in its send, never sees the cancellation and leaks. The fix
// selects on the send and ctx.Done().
//
// corpus:category communication/channel-context
// corpus:frames Stream.func1
package producerctx
