//go:build race && !gridlock_off

package detect

// raceEnabled sends the lock types' fast paths to sync, whose own fast
// paths tell the race detector about each lock and unlock.
const raceEnabled = true
