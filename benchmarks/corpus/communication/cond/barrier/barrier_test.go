package barrier

import (
	"sync"
	"testing"
)

func run(b *Barrier, parties int) {
	var wg sync.WaitGroup
	for r := 0; r < parties; r++ {
		wg.Add(1)
		go func() { // replica: apply 3 rounds of the snapshot in lockstep
			defer wg.Done()
			for round := 0; round < 3; round++ {
				b.Await()
			}
		}()
	}
	wg.Wait()
}

func TestBug(t *testing.T) { run(New(4, false), 4) }

func TestFixed(t *testing.T) { run(New(4, true), 4) }
