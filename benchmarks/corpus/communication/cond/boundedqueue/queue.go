package boundedqueue

import "sync"

type Queue struct {
	mu     sync.Mutex
	cond   *sync.Cond
	items  []string
	closed bool
	fixed  bool
}

func New() *Queue { q := &Queue{}; q.cond = sync.NewCond(&q.mu); return q }

// NewFixed returns a queue whose Close wakes the consumers.
func NewFixed() *Queue { q := New(); q.fixed = true; return q }

func (q *Queue) Put(s string) {
	q.mu.Lock()
	q.items = append(q.items, s)
	q.mu.Unlock()
	q.cond.Signal()
}

// Get blocks until an item is available; ok is false once closed and empty.
func (q *Queue) Get() (string, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.closed {
		q.cond.Wait()
	}
	if len(q.items) == 0 {
		return "", false
	}
	s := q.items[0]
	q.items = q.items[1:]
	return s, true
}

func (q *Queue) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	if q.fixed {
		q.cond.Broadcast()
	} // BUG otherwise: parked consumers are never woken
}
