package panicdone

import (
	"fmt"
	"sync"
	"sync/atomic"
)

type Pool struct {
	Fixed    bool
	panics   atomic.Int32
	finished atomic.Int32
}

func (p *Pool) runTask(task func(), wg *sync.WaitGroup) {
	if p.Fixed {
		defer wg.Done()
	}
	defer func() {
		if r := recover(); r != nil {
			p.panics.Add(1)
		}
	}()
	task()
	p.finished.Add(1)
	if !p.Fixed {
		wg.Done() // BUG: skipped when task panics
	}
}

func (p *Pool) RunAll(tasks []func()) {
	var wg sync.WaitGroup
	for _, t := range tasks {
		wg.Add(1)
		go p.runTask(t, &wg)
	}
	wg.Wait()
}

// parse panics on malformed input, like a careless decoder.
func parse(s string) int {
	var n int
	if _, err := fmt.Sscanf(s, "%d", &n); err != nil {
		panic("malformed record " + s)
	}
	return n
}
