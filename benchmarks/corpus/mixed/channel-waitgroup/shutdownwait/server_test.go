package shutdownwait

import (
	"testing"
	"time"
)

func TestBug(t *testing.T) {
	s := NewServer()
	for c := 0; c < 10; c++ {
		s.Serve(c)
	}
	time.Sleep(500 * time.Microsecond)
	s.Shutdown()
}

func TestFixed(t *testing.T) {
	s := NewServer()
	for c := 0; c < 10; c++ {
		s.Serve(c)
	}
	time.Sleep(500 * time.Microsecond)
	s.FixedShutdown()
}
