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
	if d := core.Active(); d != nil {
		m.lockSlow(d, core.TypeMutex)
		return
	}
	m.mu.Lock()
}

// lockSlow is Lock with gridlock on; typ names the lock in reports (a
// Once's mutex is the Once).
func (m *Mutex) lockSlow(d *core.Detector, typ core.ObjType) {
	var op core.Op
	core.Capture(op.PCs())
	d.BeforeLock(&op, &m.st, unsafe.Pointer(m), typ, core.ModeWrite)
	if !m.mu.TryLock() {
		d.Wait(&op)
		m.mu.Lock()
	}
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
	if d := core.Active(); d != nil {
		m.unlockSlow(d)
		return
	}
	m.mu.Unlock()
}

// unlockSlow hands the lock back to sync and records the unlock after,
// outside the critical section (see core.BeginRelease; it does nothing
// there but find the entry). An Unlock of an unlocked Mutex, seen in sync's
// state word, is reported before sync stops the program.
func (m *Mutex) unlockSlow(d *core.Detector) {
	var pcs core.PCs
	if atomic.LoadInt32(m.state())&mutexLocked == 0 {
		core.CaptureShort(&pcs)
		d.ReportUnlockOfUnlocked(&m.st, unsafe.Pointer(m), core.TypeMutex, core.ModeWrite, &pcs)
		m.mu.Unlock() // sync's fatal error
		return
	}
	u, _ := d.BeginRelease(&m.st, core.ModeWrite)
	m.mu.Unlock()
	core.CaptureShort(&pcs)
	d.EndRelease(u, &pcs) // touches gridlock's records only: m may be reused by now
}

// mutexLocked is the bit of sync.Mutex's state word that says it is
// locked; TestSyncMutexLayout checks it against the installed Go.
const mutexLocked = 1

// state returns sync.Mutex's state word: its first field, an int32.
func (m *Mutex) state() *int32 { return (*int32)(unsafe.Pointer(&m.mu)) }
