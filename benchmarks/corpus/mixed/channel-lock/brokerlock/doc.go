// Package brokerlock is a message broker that delivers to each subscriber
// on an unbuffered channel while holding the broker mutex. A subscriber's
// handler that decides to unsubscribe calls Unsubscribe, which needs the
// broker mutex, before it reads the next message: Publish, holding the
// mutex, blocks on the send, and the handler blocks on the mutex. It hangs
// when a message arrives while a handler unsubscribes. The fix snapshots
// the subscribers under the lock and sends outside it, with a done channel.
//
// corpus:category mixed/channel-lock
// corpus:frames (*Broker).Publish (*Broker).Unsubscribe
package brokerlock
