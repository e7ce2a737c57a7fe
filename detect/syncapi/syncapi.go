// Package syncapi is package sync's exported API, and nothing more, with
// gridlock's tracked types (those of package detect). It is what `gridlock
// test` imports in place of a dot import of sync (import . "sync"), where
// package detect's own names (New, Option, Default, ...) could clash with
// the importing package's. Write import sync "github.com/gridlock-go/gridlock/detect"
// in code of your own; a test keeps this package's names exactly sync's.
package syncapi

import "github.com/gridlock-go/gridlock/detect"

// The types, as in package detect.
type (
	// Mutex is detect.Mutex.
	Mutex = detect.Mutex
	// RWMutex is detect.RWMutex.
	RWMutex = detect.RWMutex
	// WaitGroup is detect.WaitGroup.
	WaitGroup = detect.WaitGroup
	// Cond is detect.Cond.
	Cond = detect.Cond
	// Locker is detect.Locker (sync.Locker).
	Locker = detect.Locker
	// Once is detect.Once.
	Once = detect.Once
	// Map is detect.Map (sync.Map).
	Map = detect.Map
	// Pool is detect.Pool (sync.Pool).
	Pool = detect.Pool
)

// NewCond is detect.NewCond.
func NewCond(l Locker) *Cond { return detect.NewCond(l) }

// OnceFunc is detect.OnceFunc.
func OnceFunc(f func()) func() { return detect.OnceFunc(f) }

// OnceValue is detect.OnceValue.
func OnceValue[T any](f func() T) func() T { return detect.OnceValue(f) }

// OnceValues is detect.OnceValues.
func OnceValues[T1, T2 any](f func() (T1, T2)) func() (T1, T2) { return detect.OnceValues(f) }
