// Package ackwindow is a flow-controlled stream. The sender waits on a
// sync.Cond for window credit before sending a frame on the frames channel;
// the receiver acknowledges frames in batches on the acks channel, and an
// acker goroutine turns acks into credit and signals the cond. When the
// negotiated ack batch is larger than the window, the sender parks in
// cond.Wait with no credit, the receiver waits for a frame that completes
// its batch and the acker waits for an ack: a deadlock across a cond and
// two channels. The batch size is negotiated at random, so it hangs
// sometimes. The fix caps the ack batch at the window size.
//
// corpus:category communication/channel-cond
// corpus:frames (*Stream).Send (*Stream).receive
package ackwindow
