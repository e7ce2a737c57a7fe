package core

import (
	"sync"
	"time"
)

// ticker paces the watchdog's looks: the first after first, then one every
// every, until stop.
type ticker interface {
	// wait blocks until the next tick; it reports false once stop was
	// called (then at once).
	wait() bool
	stop()
}

// timerTicker is a ticker on a Go timer.
type timerTicker struct {
	t        *time.Timer
	every    time.Duration
	done     chan struct{}
	stopOnce sync.Once
}

func newTimerTicker(first, every time.Duration) *timerTicker {
	return &timerTicker{t: time.NewTimer(first), every: every, done: make(chan struct{})}
}

func (t *timerTicker) wait() bool {
	select {
	case <-t.t.C:
		t.t.Reset(t.every)
		return true
	case <-t.done:
		return false
	}
}

func (t *timerTicker) stop() {
	t.stopOnce.Do(func() {
		t.t.Stop()
		close(t.done)
	})
}
