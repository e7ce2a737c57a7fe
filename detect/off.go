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
)

// NewCond returns a new sync.Cond with Locker l.
func NewCond(l Locker) *Cond { return sync.NewCond(l) }
