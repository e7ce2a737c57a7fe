package startup

import (
	"sync"
	"testing"
)

func run(wait func(*Gate)) {
	for i := 0; i < 20; i++ {
		g := NewGate()
		var wg sync.WaitGroup
		for h := 0; h < 3; h++ { // request handlers wait for readiness
			wg.Add(1)
			go func() { defer wg.Done(); wait(g) }()
		}
		boot(g)
		wg.Wait()
	}
}

func TestBug(t *testing.T) { run((*Gate).WaitReady) }

func TestFixed(t *testing.T) { run((*Gate).FixedWaitReady) }
