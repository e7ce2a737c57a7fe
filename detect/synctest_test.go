//go:build !gridlock_off

package detect_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/gridlock-go/gridlock/chanwatch"
	"github.com/gridlock-go/gridlock/detect"
)

// TestWatchdogAfterSynctestBubble checks that waits inside a
// testing/synctest bubble, whose clock is fake (it starts in 2000), leave
// the watchdog working: a deadlock after the bubble is reported, and its
// waits are timed by the real clock. (A watchdog started from inside the
// bubble set its timer by the bubble's clock, years away in real time.)
func TestWatchdogAfterSynctestBubble(t *testing.T) {
	reports := start(t, detect.WithTimeout(time.Hour))
	synctest.Test(t, func(t *testing.T) {
		ch := make(chan int)
		go func() { chanwatch.Send(ch, 1) }()
		chanwatch.Recv(ch) // a wait: it would start the watchdog
	})
	var a, b detect.Mutex
	held, hold := make(chan bool), make(chan bool)
	go func() { a.Lock(); held <- true; <-hold; b.Lock() }()
	go func() { b.Lock(); held <- true; <-hold; a.Lock() }()
	<-held
	<-held
	close(hold)
	r := waitFor(t, reports, detect.KindDeadlock)
	for _, g := range r.Goroutines {
		if g.Waited <= 0 || g.Waited > time.Minute {
			t.Errorf("deadlock report: goroutine %d waited %v, want a real duration under a minute", g.ID, g.Waited)
		}
	}
}
