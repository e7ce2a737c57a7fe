// Package configstore is a configuration store whose values may reference
// other keys ("${other}"). Get read-locks the store and resolves references
// by calling Get again, taking a second read lock in the same goroutine.
// The reload goroutine started by the constructor takes the write lock
// periodically; when it queues between the two RLocks, sync.RWMutex blocks
// the second RLock behind the writer, which waits for the first: deadlock,
// only under that interleaving. The fix resolves with getLocked.
//
// corpus:category resource/rwr
// corpus:frames (*Store).Get (*Store).reload
package configstore
