//go:build !race

package core

// raceEnabled is false without the race detector: see race.go.
const raceEnabled = false
