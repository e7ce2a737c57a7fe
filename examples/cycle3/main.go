// Command cycle3 has three services that call into each other while
// holding their own lock: Config.Reload locks config then cache, Cache.Evict
// locks cache then registry, Registry.Refresh locks registry then config.
// No two locks are inverted, so a pairwise checker (go-deadlock) sees
// nothing; run concurrently the three operations can deadlock. With -fixed
// the registry reads the config before taking its own lock.
package main

import (
	"flag"
	"fmt"
	"sync"
)

type Config struct {
	mu       sync.Mutex
	cache    *Cache
	settings map[string]string
}

type Cache struct {
	mu       sync.Mutex
	registry *Registry
	entries  int
}

type Registry struct {
	mu     sync.Mutex
	config *Config
	fixed  bool
	names  []string
}

// Reload locks the config, then invalidates the cache.
func (c *Config) Reload() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.settings = map[string]string{"mode": "fast"}
	c.cache.Invalidate()
}

// Get reads a setting.
func (c *Config) Get(k string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.settings[k]
}

// Invalidate empties the cache.
func (c *Cache) Invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = 0
}

// Evict locks the cache, then tells the registry.
func (c *Cache) Evict(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries--
	c.registry.Remove(name)
}

// Remove forgets a name.
func (r *Registry) Remove(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, n := range r.names {
		if n == name {
			r.names = append(r.names[:i], r.names[i+1:]...)
			break
		}
	}
}

// Refresh locks the registry, then reads the config: the third edge.
func (r *Registry) Refresh() {
	if r.fixed {
		mode := r.config.Get("mode")
		r.mu.Lock()
		r.names = append(r.names, mode)
		r.mu.Unlock()
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.names = append(r.names, r.config.Get("mode"))
}

func run(fixed bool) int {
	cfg := &Config{}
	reg := &Registry{config: cfg, fixed: fixed}
	cfg.cache = &Cache{registry: reg}
	var wg sync.WaitGroup
	for _, op := range []func(){cfg.Reload, func() { cfg.cache.Evict("fast") }, reg.Refresh} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			op()
		}()
		wg.Wait() // one at a time: this run cannot hang
	}
	return len(reg.names)
}

func main() {
	fixed := flag.Bool("fixed", false, "run the fixed version")
	flag.Parse()
	fmt.Println("refreshes:", run(*fixed))
}
