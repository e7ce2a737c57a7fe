// Command oncereentry has a plugin registry loaded lazily with a sync.Once.
// Loading registers the built-in plugins through Register, which looks the
// name up with Lookup first, and Lookup loads the registry: Once.Do inside
// the first call of the same Once's Do blocks forever. With -fixed, the
// loader registers through the unexported register, which does not load.
package main

import (
	"flag"
	"fmt"
	"sync"
)

type Registry struct {
	once    sync.Once
	fixed   bool
	plugins map[string]func() string
}

// Lookup returns the plugin registered under name, loading the registry on
// first use.
func (r *Registry) Lookup(name string) (func() string, bool) {
	r.once.Do(r.load)
	p, ok := r.plugins[name]
	return p, ok
}

// Register adds a plugin unless one has that name already.
func (r *Registry) Register(name string, p func() string) bool {
	if _, ok := r.Lookup(name); ok {
		return false
	}
	r.register(name, p)
	return true
}

func (r *Registry) register(name string, p func() string) {
	if r.plugins == nil {
		r.plugins = make(map[string]func() string)
	}
	r.plugins[name] = p
}

func (r *Registry) load() {
	builtin := func() string { return "hello" }
	if r.fixed {
		r.register("hello", builtin)
		return
	}
	r.Register("hello", builtin) // Lookup, and so Do, inside Do
}

func run(fixed bool) string {
	r := &Registry{fixed: fixed}
	p, ok := r.Lookup("hello")
	if !ok {
		return ""
	}
	return p()
}

func main() {
	fixed := flag.Bool("fixed", false, "run the fixed version")
	flag.Parse()
	fmt.Println("plugin says:", run(*fixed))
}
