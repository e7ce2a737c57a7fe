// Package watcher watches a key for changes. Watch starts a goroutine that
// polls and sends change events on an unbuffered channel; it checks
// ctx.Done() only between polls, not while sending. When the consumer
// cancels the context and stops reading, a watcher that is already in its
// send blocks forever (a leak); whether it is mid-send depends on timing.
// The fix selects on the send and ctx.Done() together.
//
// corpus:category communication/channel-context
// corpus:frames (*Watcher).run
package watcher
