//go:build !gridlock_off && !race

package detect

import (
	"sync/atomic"
	"unsafe"
)

// The fast paths of Mutex with gridlock off are sync's own, on sync's state
// word, so that Lock and Unlock inline into their callers as sync's do (a
// call costs an uncontended pair about a tenth; TestIntendedInlining keeps
// them inlinable). Each does what sync's fast path does or does nothing and
// says so; the caller then calls sync's method, which does the rest: wait,
// wake, or stop the program on a misuse. TestSyncMutexLayout checks the
// layout they rely on against the installed Go. Under the race detector
// they are off (fast_race.go): sync's fast paths tell the race detector
// about the synchronisation, which code outside the standard library
// cannot.

// lockFast takes m if it is unlocked and nobody waits for it: sync.Mutex's
// fast path, a compare-and-swap of its state word from 0 to locked.
func lockFast(m *Mutex) bool {
	return atomic.CompareAndSwapInt32((*int32)(unsafe.Pointer(m)), 0, mutexLocked)
}

// unlockFast unlocks m if it is locked and nobody waits for it (sync's
// Unlock subtracts the locked bit and is done when that leaves 0).
func unlockFast(m *Mutex) bool {
	return atomic.CompareAndSwapInt32((*int32)(unsafe.Pointer(m)), mutexLocked, 0)
}
