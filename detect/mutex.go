//go:build !gridlock_off

package detect

import (
	"sync"
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
		m.lockSlow(d)
		return
	}
	m.mu.Lock()
}

func (m *Mutex) lockSlow(d *core.Detector) {
	var op core.Op
	core.Capture(op.PCs())
	d.BeforeLock(&op, &m.st, unsafe.Pointer(m), core.TypeMutex, core.ModeWrite)
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

func (m *Mutex) unlockSlow(d *core.Detector) {
	var pcs core.PCs
	core.CaptureShort(&pcs)
	u, held := d.BeginRelease(&m.st, unsafe.Pointer(m), core.ModeWrite, &pcs)
	if !held && m.mu.TryLock() {
		m.mu.Unlock()
		d.ReportUnlockOfUnlocked(&m.st, unsafe.Pointer(m), core.TypeMutex, core.ModeWrite, &pcs)
	}
	m.mu.Unlock()
	d.EndRelease(u)
}
