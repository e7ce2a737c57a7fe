package sessionexpire

import (
	"math/rand"
	"testing"
	"time"
)

func TestBug(t *testing.T) {
	m := NewManager(3 * time.Millisecond)
	defer m.Close()
	m.Open("alice")
	for i := 0; i < 20; i++ {
		time.Sleep(time.Duration(rand.Intn(3500)) * time.Microsecond)
		if !m.Touch("alice") {
			m.Open("alice")
		}
	}
}

func TestFixed(t *testing.T) {
	m := NewFixedManager(3 * time.Millisecond)
	defer m.Close()
	m.Open("alice")
	for i := 0; i < 20; i++ {
		time.Sleep(time.Duration(rand.Intn(3500)) * time.Microsecond)
		if !m.Touch("alice") {
			m.Open("alice")
		}
	}
}
