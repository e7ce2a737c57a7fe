// Package leaderelect is a leader election. Campaign registers a candidate
// and waits on a sync.Cond until a leader is chosen, then reads the
// announcement from an unbuffered channel. The elector goroutine picks the
// leader and sends the announcement on that channel before it broadcasts
// the cond: the elector blocks on the send and the candidates stay parked
// in cond.Wait. Only elections where a candidate was already waiting hang.
// The fix broadcasts before announcing, and buffers the announcement.
//
// corpus:category communication/channel-cond
// corpus:frames (*Election).Campaign (*Election).elect
package leaderelect
