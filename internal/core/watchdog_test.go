package core

import (
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridlock-go/gridlock/internal/config"
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

// TestWaitSeenByStoppingWatchdog races a wait begun (its state stored,
// then nudge's load of running) against the watchdog's stop (running
// stored false, then its look for waits), as Dekker's two sides: at the
// end of each round, the watchdog must be running again or have seen the
// wait. With a release store for the wait's state, x86 lets nudge's load
// pass it, and both sides miss each other: the two sides' windows are a
// few ns and rarely meet, so that version fails about one run in four
// here (a bare litmus of the two stores and loads: 137 in 50,000 rounds).
func TestWaitSeenByStoppingWatchdog(t *testing.T) {
	if runtime.NumCPU() < 2 {
		t.Skip("needs two CPUs to race")
	}
	d := New(Config{Settings: config.Settings{Enabled: true, Log: "off", Action: "log", Timeout: time.Hour}, Stderr: io.Discard, Grace: time.Hour})
	defer d.Close()
	rounds := 100000
	if raceEnabled || testing.Short() {
		rounds = 10000 // the race detector's atomics are fences anyway
	}
	var bar atomic.Int64
	// step waits until both sides have reached step k of round i.
	step := func(i, k int) {
		bar.Add(1)
		for bar.Load() < int64(4*i+2*k) {
		}
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { // the waiting goroutine
		defer wg.Done()
		g := d.reg.current()
		var pcs PCs
		for i := range rounds {
			step(i, 1)
			w := d.beginWait(g, waitGroup, nil, 0, &pcs, nil)
			step(i, 2)
			d.endWait(g, w)
		}
	}()
	go func() { // the watchdog deciding to stop
		defer wg.Done()
		for i := range rounds {
			d.wd.running.Store(true)
			step(i, 1)
			d.wd.running.Store(false)
			saw := d.anyWaiting()
			step(i, 2)
			if !saw && !d.wd.running.Load() {
				t.Errorf("round %d: the watchdog stopped without seeing the wait begun, and the wait did not start it", i)
				bar.Store(1 << 40) // let the other side finish
				return
			}
		}
	}()
	wg.Wait()
}
