package refresher

import (
	"sync"
	"time"
)

type stats struct {
	mu        sync.Mutex
	lookups   int
	refreshes int
}

type Cache struct {
	mu    sync.Mutex
	data  map[string]string
	stats stats
	load  func(string) string
	stop  chan struct{}
	done  chan struct{}
}

func NewCache(load func(string) string, every time.Duration) *Cache {
	c := &Cache{data: map[string]string{}, load: load, stop: make(chan struct{}), done: make(chan struct{})}
	go c.refreshLoop(every)
	return c
}

func (c *Cache) refreshLoop(every time.Duration) {
	defer close(c.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			c.refresh()
		}
	}
}

func (c *Cache) refresh() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.data {
		c.data[k] = c.load(k)
	}
	c.stats.mu.Lock()
	c.stats.refreshes++
	c.stats.mu.Unlock()
}

func (c *Cache) Get(k string) string {
	c.stats.mu.Lock()
	defer c.stats.mu.Unlock()
	c.stats.lookups++
	c.mu.Lock() // BUG: stats.mu -> mu, refresh takes mu -> stats.mu
	defer c.mu.Unlock()
	v, ok := c.data[k]
	if !ok {
		v = c.load(k)
		c.data[k] = v
	}
	return v
}

func (c *Cache) Close() { close(c.stop); <-c.done }

type FixedCache struct {
	mu    sync.Mutex
	data  map[string]string
	stats stats
	load  func(string) string
	stop  chan struct{}
	done  chan struct{}
}

func NewFixedCache(load func(string) string, every time.Duration) *FixedCache {
	c := &FixedCache{data: map[string]string{}, load: load, stop: make(chan struct{}), done: make(chan struct{})}
	go c.refreshLoop(every)
	return c
}

func (c *FixedCache) refreshLoop(every time.Duration) {
	defer close(c.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			c.refresh()
		}
	}
}

func (c *FixedCache) refresh() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.data {
		c.data[k] = c.load(k)
	}
	c.stats.mu.Lock()
	c.stats.refreshes++
	c.stats.mu.Unlock()
}

func (c *FixedCache) Get(k string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stats.mu.Lock()
	c.stats.lookups++
	c.stats.mu.Unlock()
	v, ok := c.data[k]
	if !ok {
		v = c.load(k)
		c.data[k] = v
	}
	return v
}

func (c *FixedCache) Close() { close(c.stop); <-c.done }
