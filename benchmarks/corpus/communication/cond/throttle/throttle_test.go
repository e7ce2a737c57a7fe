package throttle

import (
	"sync"
	"testing"
	"time"
)

func run(th *Throttle) {
	th.SetLimit(0) // maintenance: pause traffic
	var wg sync.WaitGroup
	for r := 0; r < 5; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			th.Acquire()
			time.Sleep(100 * time.Microsecond)
			th.Release()
		}()
	}
	time.Sleep(time.Millisecond)
	th.SetLimit(2) // resume
	wg.Wait()
}

func TestBug(t *testing.T) { run(New(2, false)) }

func TestFixed(t *testing.T) { run(New(2, true)) }
