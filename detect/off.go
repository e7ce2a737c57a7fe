//go:build gridlock_off

package detect

import "sync"

// With the gridlock_off build tag, gridlock compiles away: the lock types
// are sync's own and nothing is tracked.
type (
	Mutex     = sync.Mutex
	RWMutex   = sync.RWMutex
	WaitGroup = sync.WaitGroup
	Cond      = sync.Cond
	Once      = sync.Once
)

// OnceFunc is sync.OnceFunc.
func OnceFunc(f func()) func() { return sync.OnceFunc(f) }

// OnceValue is sync.OnceValue.
func OnceValue[T any](f func() T) func() T { return sync.OnceValue(f) }

// OnceValues is sync.OnceValues.
func OnceValues[T1, T2 any](f func() (T1, T2)) func() (T1, T2) { return sync.OnceValues(f) }

// NewCond returns a new sync.Cond with Locker l.
func NewCond(l Locker) *Cond { return sync.NewCond(l) }

// WaitGroupTask does nothing with the gridlock_off build tag.
func WaitGroupTask(wg any) {}

// WaitGroupTaskEnd does nothing with the gridlock_off build tag.
func WaitGroupTaskEnd(wg any) {}
