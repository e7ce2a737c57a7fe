// Package brokerunsub is a pub/sub broker. Publish locks the broker and then
// each subscriber to enqueue the message; Subscription.Close locks the
// subscriber and then the broker to unregister itself. A Close that races
// with a Publish deadlocks (AB-BA); it happens only under the bad
// interleaving. The fix unregisters from the broker first, then locks the
// subscriber, so the order is always broker then subscriber.
//
// corpus:category resource/abba
// corpus:frames (*Broker).Publish (*Subscription).Close
package brokerunsub
