package metricsregistry

import (
	"errors"
	"sync"
)

type Desc struct {
	Name string
	Help string
}

type Collector interface {
	Describe() []Desc
}

// Gauge is a simple collector.
type Gauge struct{ Name string }

func (g Gauge) Describe() []Desc { return []Desc{{Name: g.Name, Help: "gauge"}} }

// Lookuper is what a derived collector needs from a registry.
type Lookuper interface {
	Lookup(name string) (Desc, bool)
}

// Ratio derives a metric from another registered one.
type Ratio struct {
	Name, Of string
	Reg      Lookuper
}

func (r Ratio) Describe() []Desc {
	base, _ := r.Reg.Lookup(r.Of)
	return []Desc{{Name: r.Name, Help: "ratio of " + base.Name}}
}

var ErrDuplicate = errors.New("duplicate metric")

type Registry struct {
	mu    sync.Mutex
	descs map[string]Desc
}

func NewRegistry() *Registry { return &Registry{descs: map[string]Desc{}} }

func (r *Registry) Register(c Collector) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, d := range c.Describe() { // BUG: Describe may call back into r.
		if _, dup := r.descs[d.Name]; dup {
			return ErrDuplicate
		}
		r.descs[d.Name] = d
	}
	return nil
}

func (r *Registry) Lookup(name string) (Desc, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.descs[name]
	return d, ok
}

type FixedRegistry struct {
	mu    sync.Mutex
	descs map[string]Desc
}

func NewFixedRegistry() *FixedRegistry { return &FixedRegistry{descs: map[string]Desc{}} }

func (r *FixedRegistry) Register(c Collector) error {
	ds := c.Describe() // outside the lock
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, d := range ds {
		if _, dup := r.descs[d.Name]; dup {
			return ErrDuplicate
		}
	}
	for _, d := range ds {
		r.descs[d.Name] = d
	}
	return nil
}

func (r *FixedRegistry) Lookup(name string) (Desc, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.descs[name]
	return d, ok
}
