//go:build !race

package chanwatch_test

const raceEnabled = false
