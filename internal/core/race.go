//go:build race

package core

// raceEnabled is true under the race detector: goidOf then leaves the
// goroutine id to goid.Get (a race build is for finding races, and reads
// nothing of the runtime's by offset that it can do without).
const raceEnabled = true
