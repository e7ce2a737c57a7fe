package chanwatch_test

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridlock-go/gridlock/chanwatch"
	"github.com/gridlock-go/gridlock/detect"
)

// TestStaleWaitInOtherCallIsSilent: a select's send panics on a channel
// closed natively (not by chanwatch.Close), the panic is recovered and the
// goroutine goes on with chanwatch calls that never block. The wait the
// select left published is not its goroutine's any more: gridlock's frames
// of those other calls on its stack must not keep it alive, so it is never
// reported.
func TestStaleWaitInOtherCallIsSilent(t *testing.T) {
	if raceEnabled {
		t.Skip("closes a channel while a send waits on it: a race the race detector reports, on purpose here")
	}
	reports := start(t, detect.WithTimeout(100*time.Millisecond))
	c := make(chan int)
	recovered := make(chan any)
	var stop atomic.Bool
	done := make(chan struct{})
	go func() {
		defer close(done)
		func() {
			defer func() { recovered <- recover() }()
			sendSelect(c) // blocks, then panics: send on closed channel
		}()
		buf := make(chan int, 1)
		for !stop.Load() {
			chanwatch.Send(buf, 1) // room: never blocks
			chanwatch.Recv(buf)    // a value: never blocks
		}
	}()
	awaitBlocked(t, "chanwatch_test.sendSelect", "chan send") // a select of one case is a send
	close(c)
	if r := <-recovered; r == nil {
		t.Fatal("the select did not panic")
	}
	time.Sleep(500 * time.Millisecond) // five timeouts
	stop.Store(true)
	<-done
	for _, r := range reports() {
		if strings.Contains(r.Summary, "send on") {
			t.Errorf("report %s: %s, want none about the select its goroutine left", r.Kind, r.Summary)
		}
	}
}
