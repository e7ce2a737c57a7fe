package detect

import "sync"

// A Locker represents an object that can be locked and unlocked.
type Locker = sync.Locker

// Map and Pool are sync's own: no goroutine blocks in them.
type (
	// Map is sync.Map.
	Map = sync.Map
	// Pool is sync.Pool.
	Pool = sync.Pool
)
