package barrier

import "sync"

type Barrier struct {
	mu      sync.Mutex
	cond    *sync.Cond
	parties int
	arrived int
	phase   int
	fixed   bool
}

func New(parties int, fixed bool) *Barrier {
	b := &Barrier{parties: parties, fixed: fixed}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// Await blocks until all parties arrived in the current phase.
func (b *Barrier) Await() {
	b.mu.Lock()
	defer b.mu.Unlock()
	phase := b.phase
	b.arrived++
	if b.arrived == b.parties {
		b.arrived = 0
		b.phase++
		if b.fixed {
			b.cond.Broadcast()
		} else {
			b.cond.Signal() // BUG: wakes only one waiter
		}
		return
	}
	for phase == b.phase {
		b.cond.Wait()
	}
}
