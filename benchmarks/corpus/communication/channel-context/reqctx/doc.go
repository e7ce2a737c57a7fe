// Package reqctx is an HTTP-style handler that queries a backend under the
// request context. It runs the query in a goroutine that sends the answer
// on an unbuffered channel and selects on that channel and ctx.Done(): when
// the request deadline fires first, the handler returns and the query
// goroutine blocks forever on its send (a leak). Backend latency is random,
// so only slow requests leak. The fix gives the channel a buffer of one.
//
// corpus:category communication/channel-context
// corpus:frames (*Handler).queryAsync
package reqctx
