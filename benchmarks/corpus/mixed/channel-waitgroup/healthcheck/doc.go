// Package healthcheck probes all backends concurrently and reports which are
// up, with an overall deadline. Probes send on an unbuffered channel; a
// helper goroutine waits for them with wg.Wait and closes the channel. When
// the deadline fires, CheckAll returns the partial result: the probes still
// running block forever on their send and the helper blocks forever in
// wg.Wait (a leak). Probe latency is random. The fix buffers the channel
// for every probe.
//
// corpus:category mixed/channel-waitgroup
// corpus:frames (*Checker).probe (*Checker).CheckAll.func1
package healthcheck
