//go:build !gridlock_off

package detect

import (
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/gridlock-go/gridlock/internal/core"
)

// A Mutex is a mutual exclusion lock, like sync.Mutex, whose use gridlock
// tracks when it is enabled. The zero value is an unlocked mutex.
//
// A Mutex must not be copied after first use (go vet's copylocks check
// reports copies; gridlock reports a copied-lock when one is used).
type Mutex struct {
	mu sync.Mutex
	st core.State
}

// Lock locks m. If the lock is already in use, the calling goroutine blocks
// until the mutex is available.
func (m *Mutex) Lock() {
	// The fast path, inlined into the caller: with gridlock off, sync's own
	// first step (an idle mutex is taken with one CAS of its state word).
	// Under the race detector sync must do it, so that it sees the lock.
	if raceEnabled || core.Active() != nil || !atomic.CompareAndSwapInt32(m.state(), 0, mutexLocked) {
		m.lockSlow(core.TypeMutex)
	}
}

// lockSlow is Lock when the fast path does not apply: gridlock is on, or
// the mutex is in use. typ names the lock in reports (a Once's mutex is the
// Once).
func (m *Mutex) lockSlow(typ core.ObjType) {
	d := core.Active()
	if d == nil {
		m.mu.Lock()
		return
	}
	var op core.Op
	switch d.LockFast(&op, &m.st, unsafe.Pointer(m), core.ModeWrite, &m.mu, nil) {
	case core.Locked:
		return
	case core.MustWait:
	default:
		core.Capture(op.PCs())
		d.BeforeLock(&op, &m.st, unsafe.Pointer(m), typ, core.ModeWrite)
		if m.mu.TryLock() {
			d.Acquired(&op)
			return
		}
	}
	d.Wait(&op)
	m.mu.Lock()
	d.Acquired(&op)
}

// TryLock tries to lock m and reports whether it succeeded. A lock taken by
// TryLock adds no lock-order edge into it (it cannot block), but later locks
// get edges out of it.
func (m *Mutex) TryLock() bool {
	if !m.mu.TryLock() {
		return false
	}
	if d := core.Active(); d != nil {
		var op core.Op
		core.Capture(op.PCs())
		d.TryAcquired(&op, &m.st, unsafe.Pointer(m), core.TypeMutex, core.ModeWrite)
	}
	return true
}

// Unlock unlocks m. It is a run-time error if m is not locked on entry to
// Unlock; gridlock reports it (unlock-of-unlocked) before sync stops the
// program. As with sync.Mutex, a locked Mutex is not associated with a
// particular goroutine: one goroutine may lock it and another unlock it.
func (m *Mutex) Unlock() {
	// The fast path, as Lock's: a mutex nobody waits for is released with
	// one CAS (sync subtracts the locked bit and finds 0).
	if raceEnabled || core.Active() != nil || !atomic.CompareAndSwapInt32(m.state(), mutexLocked, 0) {
		m.unlockSlow()
	}
}

// unlockSlow is Unlock when the fast path does not apply. With gridlock on,
// it hands the lock back to sync and records the unlock after, outside the
// critical section (see core.BeginRelease; it does nothing there but find
// the entry). An Unlock of an unlocked Mutex, seen in sync's state word, is
// reported before sync stops the program.
func (m *Mutex) unlockSlow() {
	d := core.Active()
	if d == nil {
		m.mu.Unlock()
		return
	}
	var pcs core.PCs
	if atomic.LoadInt32(m.state())&mutexLocked == 0 {
		core.CaptureShort(&pcs)
		d.ReportUnlockOfUnlocked(&m.st, unsafe.Pointer(m), core.TypeMutex, core.ModeWrite, &pcs)
		m.mu.Unlock() // sync's fatal error
		return
	}
	if d.UnlockFast(&m.st, unsafe.Pointer(m), core.ModeWrite, &m.mu, nil) {
		return
	}
	u, _ := d.BeginRelease(&m.st, core.ModeWrite)
	m.mu.Unlock()
	core.CaptureShort(&pcs)
	d.EndRelease(u, &pcs) // touches gridlock's records only: m may be reused by now
}

// mutexLocked is the bit of sync.Mutex's state word that says it is
// locked; TestSyncMutexLayout checks it against the installed Go, and that
// the word is exactly mutexLocked when it is locked and nobody waits, 0
// when it is idle: the fast paths' CAS.
const mutexLocked = 1

// state returns sync.Mutex's state word: its first field, an int32.
func (m *Mutex) state() *int32 { return (*int32)(unsafe.Pointer(&m.mu)) }
