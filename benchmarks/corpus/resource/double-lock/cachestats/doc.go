// Package cachestats is a TTL cache whose Get, on the expiry path, records a
// miss through Stats bookkeeping that takes the cache mutex again. Entries
// expire only after their TTL, so the test hangs only when a lookup happens to
// land on an expired entry: the goroutine then blocks on the sync.Mutex it
// already holds. The fix records the miss with a lock-free helper that
// assumes the caller holds the lock (recordMissLocked).
//
// corpus:category resource/double-lock
// corpus:frames (*Cache).Get (*Cache).recordMiss
package cachestats
