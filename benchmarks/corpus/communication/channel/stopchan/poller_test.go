package stopchan

import (
	"testing"
	"time"
)

func TestBug(t *testing.T) {
	p := StartPoller(500*time.Microsecond, 0.05)
	time.Sleep(10 * time.Millisecond)
	p.Stop()
}

func TestFixed(t *testing.T) {
	p := StartFixedPoller(500*time.Microsecond, 0.05)
	time.Sleep(10 * time.Millisecond)
	p.Stop()
}
