// Command recursiverlock has a metrics registry whose Snapshot read-locks
// the registry and calls Get, which read-locks it again. It works until a
// writer (Register) queues between the two RLocks: Go's RWMutex then blocks
// the second RLock behind the writer, which waits for the first: a deadlock
// that happens only under load. With -fixed, Snapshot reads under one RLock.
package main

import (
	"flag"
	"fmt"
	"sync"
)

type Registry struct {
	mu     sync.RWMutex
	fixed  bool
	values map[string]int
}

// Get returns one metric.
func (r *Registry) Get(name string) int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.values[name]
}

// Register adds a metric.
func (r *Registry) Register(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.values[name] = 0
}

// Snapshot copies all metrics.
func (r *Registry) Snapshot() map[string]int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make(map[string]int, len(r.values))
	for k, v := range r.values {
		if r.fixed {
			out[k] = v
		} else {
			out[k] = r.Get(k) // a second RLock while holding the first
		}
	}
	return out
}

func run(fixed bool) int {
	r := &Registry{fixed: fixed, values: map[string]int{"requests": 1}}
	r.Register("errors")
	return len(r.Snapshot())
}

func main() {
	fixed := flag.Bool("fixed", false, "run the fixed version")
	flag.Parse()
	fmt.Println("metrics:", run(*fixed))
}
