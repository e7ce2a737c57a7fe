package ackwindow

import (
	"math/rand"
	"testing"
)

func run(fixed bool) {
	for i := 0; i < 3; i++ {
		s := NewStream(3, 1+rand.Intn(4), fixed) // ack batch negotiated with the peer
		for f := 0; f < 12; f++ {
			s.Send([]byte("frame"))
		}
		s.Close()
	}
}

func TestBug(t *testing.T) { run(false) }

func TestFixed(t *testing.T) { run(true) }
