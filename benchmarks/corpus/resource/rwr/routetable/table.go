package routetable

import (
	"math/rand"
	"strings"
	"sync"
	"time"
)

type Table struct {
	mu     sync.RWMutex
	routes map[string]string
	def    string
}

func NewTable(def string) *Table { return &Table{routes: map[string]string{}, def: def} }

func (t *Table) AddRoute(prefix, backend string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.routes[prefix] = backend
}

func (t *Table) Default() string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.def
}

func (t *Table) Lookup(path string) string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	best := ""
	for p := range t.routes {
		if strings.HasPrefix(path, p) && len(p) > len(best) {
			best = p
		}
	}
	if best == "" {
		if rand.Intn(4) == 0 {
			time.Sleep(20 * time.Microsecond) // log the miss
		}
		return t.Default() // BUG: nested RLock
	}
	return t.routes[best]
}

type FixedTable struct {
	mu     sync.RWMutex
	routes map[string]string
	def    string
}

func NewFixedTable(def string) *FixedTable {
	return &FixedTable{routes: map[string]string{}, def: def}
}

func (t *FixedTable) AddRoute(prefix, backend string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.routes[prefix] = backend
}

func (t *FixedTable) Default() string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.def
}

func (t *FixedTable) Lookup(path string) string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	best := ""
	for p := range t.routes {
		if strings.HasPrefix(path, p) && len(p) > len(best) {
			best = p
		}
	}
	if best == "" {
		if rand.Intn(4) == 0 {
			time.Sleep(20 * time.Microsecond)
		}
		return t.def
	}
	return t.routes[best]
}
