// Package cacheinvalidate is a cache that emits invalidation events on an
// unbuffered channel while holding its mutex. The replication goroutine
// that consumes the events calls Cache.Get (to read the fresh value) before
// receiving the next event, and Get needs the mutex: Set blocks on the send
// with the mutex held, the consumer blocks on the mutex. It hangs when two
// Sets come close together. The fix sends the event after unlocking.
//
// corpus:category mixed/channel-lock
// corpus:frames (*Cache).Set (*Cache).Get
package cacheinvalidate
