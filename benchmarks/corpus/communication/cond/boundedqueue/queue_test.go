package boundedqueue

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func run(q *Queue) {
	var wg sync.WaitGroup
	for c := 0; c < 3; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if _, ok := q.Get(); !ok {
					return
				}
			}
		}()
	}
	for i := 0; i < 100; i++ {
		q.Put(fmt.Sprint("job-", i))
		if i%25 == 0 {
			time.Sleep(200 * time.Microsecond) // jobs arrive in bursts
		}
	}
	time.Sleep(200 * time.Microsecond)
	q.Close()
	wg.Wait()
}

func TestBug(t *testing.T) { run(New()) }

func TestFixed(t *testing.T) { run(NewFixed()) }
