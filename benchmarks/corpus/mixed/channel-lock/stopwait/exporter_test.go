package stopwait

import (
	"math/rand"
	"testing"
	"time"
)

func run(fixed bool) {
	for i := 0; i < 5; i++ {
		e := Start(300*time.Microsecond, fixed)
		for j := 0; j < 50; j++ {
			e.Inc("requests")
		}
		time.Sleep(time.Duration(rand.Intn(1000)) * time.Microsecond)
		e.Stop()
	}
}

func TestBug(t *testing.T) { run(false) }

func TestFixed(t *testing.T) { run(true) }
