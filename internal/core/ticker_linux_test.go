package core

import (
	"io"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gridlock-go/gridlock/internal/config"
)

// TestTicker: on Linux the watchdog's ticker is a timerfd (no Go timer
// pending), it ticks, and stop wakes a goroutine blocked in wait.
func TestTicker(t *testing.T) {
	tk := newTicker(time.Millisecond, time.Millisecond)
	if _, ok := tk.(*timerfd); !ok {
		t.Fatalf("newTicker() = %T, want *timerfd", tk)
	}
	for i := range 3 {
		if !tk.wait() {
			t.Fatalf("wait() #%d = false before stop, want true", i+1)
		}
	}
	tk.stop()
	if tk.wait() {
		t.Error("wait() after stop = true, want false")
	}
	tk.stop() // a second stop is harmless

	tk = newTicker(time.Hour, time.Hour)
	woke := make(chan bool)
	go func() { woke <- tk.wait() }()
	time.Sleep(10 * time.Millisecond) // let it block (a stop before is fine too)
	tk.stop()
	if <-woke {
		t.Error("wait() woken by stop = true, want false")
	}
}

// TestTickerInBubble: in a synctest bubble there is no ticker (its
// goroutine would join the bubble).
func TestTickerInBubble(t *testing.T) {
	if inBubble() {
		t.Fatal("inBubble() = true outside a bubble")
	}
	synctest.Test(t, func(t *testing.T) {
		if !inBubble() {
			t.Error("inBubble() = false in a bubble")
		}
		if tk := newTicker(time.Millisecond, time.Millisecond); tk != nil {
			tk.stop()
			t.Errorf("newTicker() in a bubble = %T, want nil", tk)
		}
	})
}

// failingTicker is a ticker whose wait fails at once, as a timerfd read
// does when the poller refused the file.
type failingTicker struct{}

func (failingTicker) wait() bool { return false }
func (failingTicker) stop()      {}

// TestTickerFailureFallsBackToTimer: when its ticker fails, the watchdog
// goes on running on a Go timer, and uses timers from then on.
func TestTickerFailureFallsBackToTimer(t *testing.T) {
	d := New(Config{Settings: config.Settings{Enabled: true, Log: "off", Action: "log", Timeout: time.Hour}, Stderr: io.Discard})
	defer d.Close()
	w := d.wd
	w.running.Store(true)
	w.run(failingTicker{}) // returns at once: the ticker failed
	if !w.running.Load() || !w.noTicker.Load() {
		t.Fatalf("after a failed ticker: running = %v, noTicker = %v; want true, true", w.running.Load(), w.noTicker.Load())
	}
	// The timer's look finds no wait and stops the watchdog.
	for deadline := time.Now().Add(10 * time.Second); w.running.Load(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the watchdog still runs 10s after its ticker failed with no wait: no look ran")
		}
	}
}
