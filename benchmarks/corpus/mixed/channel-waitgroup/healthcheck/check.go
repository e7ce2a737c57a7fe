package healthcheck

import (
	"math/rand"
	"sync"
	"time"
)

type status struct {
	backend string
	up      bool
}

type Checker struct {
	Backends []string
	Deadline time.Duration
	Fixed    bool
}

func (c *Checker) probe(b string, out chan<- status, wg *sync.WaitGroup) {
	defer wg.Done()
	time.Sleep(time.Duration(rand.Intn(3000)) * time.Microsecond)
	out <- status{b, rand.Intn(5) != 0} // BUG when out is unbuffered and CheckAll left
}

func (c *Checker) CheckAll() map[string]bool {
	size := 0
	if c.Fixed {
		size = len(c.Backends)
	}
	out := make(chan status, size)
	var wg sync.WaitGroup
	for _, b := range c.Backends {
		wg.Add(1)
		go c.probe(b, out, &wg)
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	res := map[string]bool{}
	deadline := time.After(c.Deadline)
	for {
		select {
		case s, ok := <-out:
			if !ok {
				return res
			}
			res[s.backend] = s.up
		case <-deadline:
			return res
		}
	}
}
