//go:build !gridlock_off

package detect

import (
	"sync/atomic"

	"github.com/gridlock-go/gridlock/internal/core"
)

// Once is an object that will perform exactly one action, like sync.Once,
// whose first Do gridlock tracks as a lock when it is enabled: a Do that
// calls Do on the same Once, directly or through other calls, blocks
// forever (as with sync) and is reported as a double-lock naming both
// calls; a goroutine that waits in Do for another one's first call is a
// lock wait in the wait-for graph, and the locks taken inside the first
// call are ordered after the Once. Once Do has returned, Do takes no lock
// and costs an atomic load, as sync's.
//
// A Once must not be copied after first use.
type Once struct {
	done atomic.Bool
	m    Mutex
}

// Do calls f if and only if Do is being called for the first time for this
// instance of Once; see sync.Once.Do, whose contract it keeps: no call to
// Do returns until the one call to f returns, and if f panics, Do
// considers it returned.
func (o *Once) Do(f func()) {
	if !o.done.Load() {
		o.doSlow(f)
	}
}

func (o *Once) doSlow(f func()) {
	o.m.lockSlow(core.TypeOnce)
	defer o.m.Unlock()
	if !o.done.Load() {
		defer o.done.Store(true)
		f()
	}
}

// OnceValues returns a function that invokes f only once and returns the
// values returned by f, as sync.OnceValues (Go 1.26's code, on this
// package's Once, so that a function that calls itself through it is
// reported too). The returned function may be called concurrently. If f
// panics, the returned function will panic with the same value on every
// call.
func OnceValues[T1, T2 any](f func() (T1, T2)) func() (T1, T2) {
	d := struct {
		f     func() (T1, T2)
		once  Once
		valid bool
		p     any
		r1    T1
		r2    T2
	}{f: f}
	return func() (T1, T2) {
		d.once.Do(func() {
			defer func() {
				d.f = nil // do not keep f alive after invoking it
				d.p = recover()
				if !d.valid {
					panic(d.p) // the first caller gets a stack into f
				}
			}()
			d.r1, d.r2 = d.f()
			d.valid = true // only if f does not panic
		})
		if !d.valid {
			panic(d.p)
		}
		return d.r1, d.r2
	}
}

// OnceValue returns a function that invokes f only once and returns the
// value returned by f, as sync.OnceValue (OnceValues with one value).
func OnceValue[T any](f func() T) func() T {
	g := OnceValues(func() (T, struct{}) { return f(), struct{}{} })
	return func() T {
		v, _ := g()
		return v
	}
}

// OnceFunc returns a function that invokes f only once, as sync.OnceFunc
// (OnceValues with no value).
func OnceFunc(f func()) func() {
	g := OnceValues(func() (struct{}, struct{}) { f(); return struct{}{}, struct{}{} })
	return func() { g() }
}
