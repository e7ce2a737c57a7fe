//go:build !gridlock_off

package detect

import (
	"sync"
	"unsafe"

	"github.com/gridlock-go/gridlock/internal/core"
)

// Cond implements a condition variable, like sync.Cond. gridlock reports a
// Wait by a goroutine that does not hold L (cond-wait-unlocked) and explains
// a Wait that lasts past the timeout by the Signal and Broadcast calls it saw
// before. A Cond must not be copied after first use.
type Cond struct {
	// L is held while observing or changing the condition.
	L Locker

	c    sync.Cond
	init sync.Once
	st   core.State
}

// NewCond returns a new Cond with Locker l.
func NewCond(l Locker) *Cond { return &Cond{L: l} }

// condLocker lets the inner sync.Cond lock and unlock the current c.L
// through its (tracked) methods.
type condLocker struct{ c *Cond }

func (l condLocker) Lock()   { l.c.L.Lock() }
func (l condLocker) Unlock() { l.c.L.Unlock() }

func (c *Cond) inner() *sync.Cond {
	c.init.Do(func() { c.c.L = condLocker{c} })
	return &c.c
}

// Wait atomically unlocks c.L and suspends the calling goroutine; after
// resuming, Wait locks c.L before returning.
func (c *Cond) Wait() {
	in := c.inner()
	d := core.Active()
	if d == nil {
		in.Wait()
		return
	}
	var pcs core.PCs
	core.Capture(&pcs)
	t := d.CondWait(&c.st, unsafe.Pointer(c), &pcs, !holdsLocker(d, c.L))
	defer d.CondWaitDone(t) // also when L's Unlock or Lock panics
	in.Wait()
}

// holdsLocker reports whether the calling goroutine holds l, when l is one
// of gridlock's locks; for other Lockers it cannot tell and says yes.
func holdsLocker(d *core.Detector, l Locker) bool {
	var held, unknown bool
	switch l := l.(type) {
	case *Mutex:
		if held, unknown = d.Holds(&l.st, core.ModeWrite); unknown && l.mu.TryLock() {
			l.mu.Unlock()
			return false // never locked since tracking started, and free now
		}
	case *RWMutex:
		if held, unknown = d.Holds(&l.st, core.ModeWrite); unknown && l.rw.TryLock() {
			l.rw.Unlock()
			return false
		}
	case *rlocker:
		if held, unknown = d.Holds(&l.st, core.ModeRead); unknown && l.rw.TryLock() {
			l.rw.Unlock()
			return false
		}
	default:
		return true
	}
	return held || unknown
}

// Signal wakes one goroutine waiting on c, if there is any.
func (c *Cond) Signal() {
	if d := core.Active(); d != nil {
		var pcs core.PCs
		core.Capture(&pcs)
		d.CondSignal(&c.st, unsafe.Pointer(c), "Signal", &pcs)
	}
	c.inner().Signal()
}

// Broadcast wakes all goroutines waiting on c.
func (c *Cond) Broadcast() {
	if d := core.Active(); d != nil {
		var pcs core.PCs
		core.Capture(&pcs)
		d.CondSignal(&c.st, unsafe.Pointer(c), "Broadcast", &pcs)
	}
	c.inner().Broadcast()
}
