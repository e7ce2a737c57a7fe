package schedulerpeek

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

type scheduler interface {
	Schedule(Job)
	Due(time.Time, int) []Job
	Remove(int)
}

func exercise(s scheduler) {
	var wg sync.WaitGroup
	for p := 0; p < 2; p++ {
		wg.Add(1)
		go func() { // producers
			defer wg.Done()
			for i := 0; i < 500; i++ {
				s.Schedule(Job{Name: fmt.Sprint("job-", p, "-", i), At: time.Now()})
			}
		}()
	}
	for i := 0; i < 1000; i++ { // dispatcher
		s.Remove(len(s.Due(time.Now(), 16)))
	}
	wg.Wait()
}

func TestBug(t *testing.T) { exercise(&Scheduler{}) }

func TestFixed(t *testing.T) { exercise(&FixedScheduler{}) }
