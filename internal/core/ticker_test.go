package core

import (
	"testing"
	"time"
)

func TestTicker(t *testing.T) {
	tests := []struct {
		name string
		give func(first, every time.Duration) ticker
	}{
		{"newTicker", newTicker},
		{"timerTicker", func(first, every time.Duration) ticker { return newTimerTicker(first, every) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk := tt.give(time.Millisecond, time.Millisecond)
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

			// stop wakes a goroutine blocked in wait.
			tk = tt.give(time.Hour, time.Hour)
			woke := make(chan bool)
			go func() { woke <- tk.wait() }()
			time.Sleep(10 * time.Millisecond) // let it block (a stop before is fine too)
			tk.stop()
			if <-woke {
				t.Error("wait() woken by stop = true, want false")
			}
		})
	}
}
