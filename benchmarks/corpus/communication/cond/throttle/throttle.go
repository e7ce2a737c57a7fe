package throttle

import "sync"

type Throttle struct {
	mu       sync.Mutex
	cond     *sync.Cond
	inflight int
	limit    int
	fixed    bool
}

func New(limit int, fixed bool) *Throttle {
	t := &Throttle{limit: limit, fixed: fixed}
	t.cond = sync.NewCond(&t.mu)
	return t
}

func (t *Throttle) Acquire() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for t.inflight >= t.limit {
		t.cond.Wait()
	}
	t.inflight++
}

func (t *Throttle) Release() {
	t.mu.Lock()
	t.inflight--
	t.mu.Unlock()
	t.cond.Signal()
}

func (t *Throttle) SetLimit(n int) {
	t.mu.Lock()
	t.limit = n
	t.mu.Unlock()
	if t.fixed {
		t.cond.Broadcast()
	} // BUG otherwise: waiters parked under the old limit stay asleep
}
