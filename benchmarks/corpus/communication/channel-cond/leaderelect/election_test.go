package leaderelect

import (
	"math/rand"
	"testing"
	"time"
)

func run(fixed bool) {
	for i := 0; i < 3; i++ {
		e := NewElection(fixed)
		time.Sleep(time.Duration(rand.Intn(500)) * time.Microsecond) // node boot
		e.Campaign("node-a")
	}
}

func TestBug(t *testing.T) { run(false) }

func TestFixed(t *testing.T) { run(true) }
