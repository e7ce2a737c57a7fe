package core

import (
	"testing"
	"time"
)

// TestTickerIsTimerfd: on Linux the watchdog does not keep a Go timer
// pending (see newTicker).
func TestTickerIsTimerfd(t *testing.T) {
	tk := newTicker(time.Hour, time.Hour)
	defer tk.stop()
	if _, ok := tk.(*timerfd); !ok {
		t.Errorf("newTicker() = %T, want *timerfd", tk)
	}
}
