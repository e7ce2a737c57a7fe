package schedulerpeek

import (
	"sync"
	"time"
)

type Job struct {
	Name string
	At   time.Time
}

type Scheduler struct {
	mu   sync.RWMutex
	jobs []Job
}

func (s *Scheduler) Schedule(j Job) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jobs = append(s.jobs, j)
}

func (s *Scheduler) Pending() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.jobs)
}

// Due returns up to max jobs whose time has come (a copy; the dispatcher
// removes them later).
func (s *Scheduler) Due(now time.Time, max int) []Job {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []Job
	for _, j := range s.jobs {
		if !j.At.After(now) {
			out = append(out, j)
		}
	}
	if n := s.Pending(); n < max { // BUG: nested RLock
		max = n
	}
	if len(out) > max {
		out = out[:max]
	}
	return out
}

func (s *Scheduler) Remove(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n > len(s.jobs) {
		n = len(s.jobs)
	}
	s.jobs = s.jobs[n:]
}

type FixedScheduler struct {
	mu   sync.RWMutex
	jobs []Job
}

func (s *FixedScheduler) Schedule(j Job) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jobs = append(s.jobs, j)
}

func (s *FixedScheduler) Pending() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.jobs)
}

func (s *FixedScheduler) Due(now time.Time, max int) []Job {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []Job
	for _, j := range s.jobs {
		if !j.At.After(now) {
			out = append(out, j)
		}
	}
	if n := len(s.jobs); n < max {
		max = n
	}
	if len(out) > max {
		out = out[:max]
	}
	return out
}

func (s *FixedScheduler) Remove(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n > len(s.jobs) {
		n = len(s.jobs)
	}
	s.jobs = s.jobs[n:]
}
