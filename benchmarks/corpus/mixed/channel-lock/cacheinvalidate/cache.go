package cacheinvalidate

import "sync"

type Cache struct {
	mu     sync.Mutex
	data   map[string]string
	Events chan string
	fixed  bool
}

func New(fixed bool) *Cache {
	return &Cache{data: map[string]string{}, Events: make(chan string), fixed: fixed}
}

func (c *Cache) Get(k string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.data[k]
}

func (c *Cache) Set(k, v string) {
	c.mu.Lock()
	c.data[k] = v
	if c.fixed {
		c.mu.Unlock()
		c.Events <- k
		return
	}
	c.Events <- k // BUG: sends while holding c.mu
	c.mu.Unlock()
}

// Replicate forwards invalidations with their new value to a peer.
func Replicate(c *Cache, peer map[string]string, done chan<- struct{}) {
	for k := range c.Events {
		peer[k] = c.Get(k)
	}
	close(done)
}
