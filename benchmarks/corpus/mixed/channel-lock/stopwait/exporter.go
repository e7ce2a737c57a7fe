package stopwait

import (
	"math/rand"
	"sync"
	"time"
)

type Exporter struct {
	mu      sync.Mutex
	counts  map[string]int
	stopped bool
	quit    chan struct{}
	done    chan struct{}
	fixed   bool
}

func Start(every time.Duration, fixed bool) *Exporter {
	e := &Exporter{counts: map[string]int{}, quit: make(chan struct{}), done: make(chan struct{}), fixed: fixed}
	go e.loop(every)
	return e
}

func (e *Exporter) loop(every time.Duration) {
	defer close(e.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-e.quit:
			return
		case <-t.C:
			e.flush()
		}
	}
}

func (e *Exporter) flush() {
	snapshot := make(map[string]int)
	time.Sleep(time.Duration(rand.Intn(200)) * time.Microsecond) // connect to the collector
	e.mu.Lock()
	for k, v := range e.counts {
		snapshot[k] = v
	}
	e.mu.Unlock()
}

func (e *Exporter) Inc(k string) {
	e.mu.Lock()
	e.counts[k]++
	e.mu.Unlock()
}

func (e *Exporter) Stop() {
	e.mu.Lock()
	if e.fixed {
		e.stopped = true
		e.mu.Unlock()
		close(e.quit)
		<-e.done
		return
	}
	defer e.mu.Unlock()
	e.stopped = true
	close(e.quit)
	<-e.done // BUG: waits for the loop while holding e.mu
}
