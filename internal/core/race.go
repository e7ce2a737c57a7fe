//go:build race

package core

// raceEnabled is true under the race detector, whose checked pointer
// arithmetic goidOf's reading of the runtime's g would not pass.
const raceEnabled = true
