// Package timeoutcall is an RPC client with a per-call timeout. Call runs
// the backend request in a goroutine that sends the reply on an unbuffered
// channel, and selects on that channel and time.After: when the timeout
// wins, nobody ever receives the reply and the goroutine blocks forever on
// its send (a leak). Backend latency is random, so only slow calls leak.
// The fix gives the reply channel a buffer of one.
//
// corpus:category communication/channel
// corpus:frames (*Client).Call.func1
package timeoutcall
