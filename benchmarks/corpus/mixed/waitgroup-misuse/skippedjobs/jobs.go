package skippedjobs

import (
	"sync"
	"sync/atomic"
)

type Job struct {
	Name     string
	Disabled bool
	Run      func()
}

func RunBatch(jobs []Job) int {
	var wg sync.WaitGroup
	var ran atomic.Int32
	wg.Add(len(jobs)) // BUG: disabled jobs never call Done
	for _, j := range jobs {
		if j.Disabled {
			continue
		}
		go func() {
			defer wg.Done()
			j.Run()
			ran.Add(1)
		}()
	}
	wg.Wait()
	return int(ran.Load())
}

func FixedRunBatch(jobs []Job) int {
	var wg sync.WaitGroup
	var ran atomic.Int32
	for _, j := range jobs {
		if j.Disabled {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			j.Run()
			ran.Add(1)
		}()
	}
	wg.Wait()
	return int(ran.Load())
}
