package registrylist

import (
	"math/rand"
	"sort"
	"sync"
	"time"
)

type Registry struct {
	mu      sync.RWMutex
	healthy map[string]bool
	stop    chan struct{}
	done    chan struct{}
}

func NewRegistry(names ...string) *Registry {
	r := &Registry{healthy: map[string]bool{}}
	for _, n := range names {
		r.healthy[n] = true
	}
	return r
}

func (r *Registry) Start(every time.Duration) {
	r.stop, r.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(r.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-r.stop:
				return
			case <-t.C:
				r.probeAll()
			}
		}
	}()
}

func (r *Registry) probeAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for n := range r.healthy {
		r.healthy[n] = rand.Intn(10) != 0
	}
}

func (r *Registry) Stop() { close(r.stop); <-r.done }

func (r *Registry) Healthy(name string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.healthy[name]
}

// List returns the healthy services, sorted.
func (r *Registry) List() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []string
	for n := range r.healthy {
		if r.Healthy(n) { // BUG: nested RLock
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

type FixedRegistry struct {
	mu      sync.RWMutex
	healthy map[string]bool
	stop    chan struct{}
	done    chan struct{}
}

func NewFixedRegistry(names ...string) *FixedRegistry {
	r := &FixedRegistry{healthy: map[string]bool{}}
	for _, n := range names {
		r.healthy[n] = true
	}
	return r
}

func (r *FixedRegistry) Start(every time.Duration) {
	r.stop, r.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(r.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-r.stop:
				return
			case <-t.C:
				r.probeAll()
			}
		}
	}()
}

func (r *FixedRegistry) probeAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for n := range r.healthy {
		r.healthy[n] = rand.Intn(10) != 0
	}
}

func (r *FixedRegistry) Stop() { close(r.stop); <-r.done }

func (r *FixedRegistry) Healthy(name string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.healthyLocked(name)
}

func (r *FixedRegistry) healthyLocked(name string) bool { return r.healthy[name] }

func (r *FixedRegistry) List() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []string
	for n := range r.healthy {
		if r.healthyLocked(n) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}
