package limiterrefill

import (
	"sync"
	"time"
)

type Limiter struct {
	mu       sync.Mutex
	tokens   int
	burst    int
	every    time.Duration
	lastFill time.Time
}

func NewLimiter(burst int, every time.Duration) *Limiter {
	return &Limiter{tokens: burst, burst: burst, every: every, lastFill: time.Now()}
}

// Refill tops the bucket up; an admin endpoint also calls it.
func (l *Limiter) Refill() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tokens = l.burst
	l.lastFill = time.Now()
}

func (l *Limiter) Allow() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tokens == 0 {
		if time.Since(l.lastFill) < l.every {
			return false
		}
		l.Refill() // BUG: l.mu is held.
	}
	l.tokens--
	return true
}

type FixedLimiter struct {
	mu       sync.Mutex
	tokens   int
	burst    int
	every    time.Duration
	lastFill time.Time
}

func NewFixedLimiter(burst int, every time.Duration) *FixedLimiter {
	return &FixedLimiter{tokens: burst, burst: burst, every: every, lastFill: time.Now()}
}

func (l *FixedLimiter) Refill() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.refillLocked()
}

func (l *FixedLimiter) refillLocked() {
	l.tokens = l.burst
	l.lastFill = time.Now()
}

func (l *FixedLimiter) Allow() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tokens == 0 {
		if time.Since(l.lastFill) < l.every {
			return false
		}
		l.refillLocked()
	}
	l.tokens--
	return true
}
