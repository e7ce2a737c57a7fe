package core

import (
	"testing"
	"time"
)

// TestExpensiveLookSpacesLooks checks that the watchdog spends at most
// about 1/lookShare of a CPU on its looks: after a look that took long, the
// timer's next ticks only move the clock.
func TestExpensiveLookSpacesLooks(t *testing.T) {
	w := quietDetector(t).wd
	lastLook := func() time.Time {
		w.mu.Lock()
		defer w.mu.Unlock()
		return w.lastLook
	}

	w.mu.Lock()
	before := time.Now()
	w.lastLook, w.lookCost = before, 10*time.Millisecond // the next look is due in 200 ms
	w.mu.Unlock()
	clock := w.clock.Load()
	w.running.Store(true)
	w.fire()
	if got := lastLook(); !got.Equal(before) {
		t.Errorf("fire() after a 10 ms look looked at %v, want no look before %v", got, before.Add(lookShare*10*time.Millisecond))
	}
	if w.clock.Load() <= clock {
		t.Errorf("fire() after a 10 ms look left the clock at %d, want it ticked", clock)
	}

	w.mu.Lock()
	w.lastLook, w.lookCost = time.Now().Add(-maxLookGap), time.Minute // one slow look
	before = w.lastLook
	w.mu.Unlock()
	w.fire()
	if got := lastLook(); !got.After(before) {
		t.Errorf("fire() %v after a look that took a minute: last look %v, want a new one", maxLookGap, got)
	}

	w.mu.Lock()
	w.lastLook, w.lookCost = time.Now().Add(-time.Second), time.Microsecond
	before = w.lastLook
	w.mu.Unlock()
	w.fire()
	if got := lastLook(); !got.After(before) {
		t.Errorf("fire() after a 1 µs look a second ago: last look %v, want a new one", got)
	}
}
