// Package stopchan is a background poller whose Stop sends on an unbuffered
// quit channel to ask the loop to exit. When a poll fails, the loop logs and
// returns on its own; a later Stop then blocks forever on the send because
// nobody receives it. Poll failures are random, so only some runs hang. The
// fix closes the quit channel and waits on a done channel instead.
//
// corpus:category communication/channel
// corpus:frames (*Poller).Stop (*Poller).loop
package stopchan
