//go:build !gridlock_off

package detect

import (
	"sync"
	"unsafe"

	"github.com/gridlock-go/gridlock/internal/core"
)

// An RWMutex is a reader/writer mutual exclusion lock, like sync.RWMutex,
// whose use gridlock tracks when it is enabled. The zero value is an
// unlocked mutex.
//
// As with sync.RWMutex, a goroutine must not expect to be able to acquire a
// read lock until the initial read lock is released: recursive read locking
// is prohibited, and gridlock reports it (recursive-rlock). An RWMutex must
// not be copied after first use.
type RWMutex struct {
	rw sync.RWMutex
	st core.State
}

// Lock locks rw for writing.
func (rw *RWMutex) Lock() {
	if d := core.Active(); d != nil {
		rw.lockSlow(d, core.ModeWrite)
		return
	}
	rw.rw.Lock()
}

// RLock locks rw for reading.
func (rw *RWMutex) RLock() {
	if d := core.Active(); d != nil {
		rw.lockSlow(d, core.ModeRead)
		return
	}
	rw.rw.RLock()
}

func (rw *RWMutex) lockSlow(d *core.Detector, mode uint32) {
	var op core.Op
	switch d.LockFast(&op, &rw.st, unsafe.Pointer(rw), mode, nil, &rw.rw) {
	case core.Locked:
		return
	case core.MustWait:
	default:
		core.Capture(op.PCs())
		d.BeforeLock(&op, &rw.st, unsafe.Pointer(rw), core.TypeRWMutex, mode)
		if mode == core.ModeWrite && rw.rw.TryLock() || mode == core.ModeRead && rw.rw.TryRLock() {
			d.Acquired(&op)
			return
		}
	}
	d.Wait(&op)
	if mode == core.ModeWrite {
		rw.rw.Lock()
	} else {
		rw.rw.RLock()
	}
	d.Acquired(&op)
}

// TryLock tries to lock rw for writing and reports whether it succeeded.
func (rw *RWMutex) TryLock() bool {
	if !rw.rw.TryLock() {
		return false
	}
	rw.tried(core.ModeWrite)
	return true
}

// TryRLock tries to lock rw for reading and reports whether it succeeded.
func (rw *RWMutex) TryRLock() bool {
	if !rw.rw.TryRLock() {
		return false
	}
	rw.tried(core.ModeRead)
	return true
}

func (rw *RWMutex) tried(mode uint32) {
	if d := core.Active(); d != nil {
		var op core.Op
		core.Capture(op.PCs())
		d.TryAcquired(&op, &rw.st, unsafe.Pointer(rw), core.TypeRWMutex, mode)
	}
}

// Unlock unlocks rw for writing. It is a run-time error if rw is not locked
// for writing; gridlock reports it before sync stops the program.
func (rw *RWMutex) Unlock() {
	if d := core.Active(); d != nil {
		rw.unlockSlow(d, core.ModeWrite)
		return
	}
	rw.rw.Unlock()
}

// RUnlock undoes a single RLock call. It is a run-time error if rw is not
// locked for reading; gridlock reports it before sync stops the program.
func (rw *RWMutex) RUnlock() {
	if d := core.Active(); d != nil {
		rw.unlockSlow(d, core.ModeRead)
		return
	}
	rw.rw.RUnlock()
}

func (rw *RWMutex) unlockSlow(d *core.Detector, mode uint32) {
	if d.UnlockFast(&rw.st, unsafe.Pointer(rw), mode, nil, &rw.rw) {
		return
	}
	var pcs core.PCs
	core.CaptureShort(&pcs)
	u, held := d.BeginRelease(&rw.st, mode)
	if !held && rw.rw.TryLock() {
		rw.rw.Unlock()
		d.ReportUnlockOfUnlocked(&rw.st, unsafe.Pointer(rw), core.TypeRWMutex, mode, &pcs)
	}
	if mode == core.ModeWrite {
		rw.rw.Unlock()
	} else {
		rw.rw.RUnlock()
	}
	d.EndRelease(u, &pcs)
}

// RLocker returns a Locker interface that implements the Lock and Unlock
// methods by calling rw.RLock and rw.RUnlock, tracked like them.
func (rw *RWMutex) RLocker() Locker { return (*rlocker)(rw) }

type rlocker RWMutex

func (r *rlocker) Lock()   { (*RWMutex)(r).RLock() }
func (r *rlocker) Unlock() { (*RWMutex)(r).RUnlock() }
