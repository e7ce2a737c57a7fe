//go:build !gridlock_off && race

package detect

// Under the race detector the fast paths of fast.go are off: sync's own
// methods, which tell the race detector about each acquire and release,
// do all the work.

func lockFast(*Mutex) bool   { return false }
func unlockFast(*Mutex) bool { return false }
