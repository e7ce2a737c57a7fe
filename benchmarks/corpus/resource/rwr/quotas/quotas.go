package quotas

import "sync"

type Quotas struct {
	mu      sync.RWMutex
	limits  map[string]int
	used    map[string]int
	deflt   int
	lockFix bool
}

func New(deflt int) *Quotas {
	return &Quotas{limits: map[string]int{}, used: map[string]int{}, deflt: deflt}
}

// NewFixed returns quotas whose Remaining does not re-enter the lock.
func NewFixed(deflt int) *Quotas {
	q := New(deflt)
	q.lockFix = true
	return q
}

func (q *Quotas) SetLimit(tenant string, n int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.limits[tenant] = n
}

func (q *Quotas) limitFor(tenant string) int {
	q.mu.RLock()
	defer q.mu.RUnlock()
	return q.limitLocked(tenant)
}

func (q *Quotas) limitLocked(tenant string) int {
	if l, ok := q.limits[tenant]; ok {
		return l
	}
	return q.deflt
}

func (q *Quotas) Use(tenant string) {
	q.mu.Lock()
	q.used[tenant]++
	q.mu.Unlock()
}

func (q *Quotas) Remaining(tenant string) int {
	q.mu.RLock()
	defer q.mu.RUnlock()
	used := q.used[tenant]
	var limit int
	if q.lockFix {
		limit = q.limitLocked(tenant)
	} else {
		limit = q.limitFor(tenant) // BUG: nested RLock
	}
	if used > limit {
		return 0
	}
	return limit - used
}
