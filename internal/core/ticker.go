package core

// ticker paces the watchdog's looks from a goroutine of its own: the first
// look after first, then one every every, until stop. newTicker returns
// nil where there is none to be had; the looks then run on a Go timer's
// callbacks (see watchdog.start).
type ticker interface {
	// wait blocks until the next tick. It reports false once stop was
	// called (then at once) or when the ticker failed.
	wait() bool
	stop()
}
