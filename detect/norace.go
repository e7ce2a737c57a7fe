//go:build !race && !gridlock_off

package detect

// raceEnabled is false without the race detector: see race.go.
const raceEnabled = false
