// Package pubsubslow is an in-process event bus with unbuffered per-
// subscriber channels. A subscriber that has seen what it wanted stops
// reading but forgets to Unsubscribe, and Publish sends to every subscriber
// synchronously: the next Publish blocks forever on the abandoned channel,
// freezing the publisher. The fix makes Publish skip subscribers whose done
// channel is closed (select on send and done) and the subscriber close it.
//
// corpus:category communication/channel
// corpus:frames (*Bus).Publish waitFor
package pubsubslow
