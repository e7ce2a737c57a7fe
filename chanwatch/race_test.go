//go:build race

package chanwatch_test

// raceEnabled: the race detector reports a close racing with a blocked send,
// which some tests do on purpose.
const raceEnabled = true
