package detect

import "sync"

// A Locker represents an object that can be locked and unlocked.
type Locker = sync.Locker

// Once, Map and Pool are sync's own: they cannot take part in a lock-order
// cycle that gridlock could explain better than the runtime does.
type (
	// Once is sync.Once.
	Once = sync.Once
	// Map is sync.Map.
	Map = sync.Map
	// Pool is sync.Pool.
	Pool = sync.Pool
)

// OnceFunc is sync.OnceFunc.
func OnceFunc(f func()) func() { return sync.OnceFunc(f) }

// OnceValue is sync.OnceValue.
func OnceValue[T any](f func() T) func() T { return sync.OnceValue(f) }

// OnceValues is sync.OnceValues.
func OnceValues[T1, T2 any](f func() (T1, T2)) func() (T1, T2) { return sync.OnceValues(f) }
