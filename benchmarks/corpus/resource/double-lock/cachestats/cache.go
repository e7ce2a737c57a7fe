package cachestats

import (
	"sync"
	"time"
)

type entry struct {
	val     string
	expires time.Time
}

// Cache is a TTL cache with hit/miss statistics.
type Cache struct {
	mu     sync.Mutex
	ttl    time.Duration
	items  map[string]entry
	hits   int
	misses int
}

func NewCache(ttl time.Duration) *Cache {
	return &Cache{ttl: ttl, items: make(map[string]entry)}
}

func (c *Cache) Set(k, v string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[k] = entry{val: v, expires: time.Now().Add(c.ttl)}
}

// recordMiss is also used by callers that do not hold the lock.
func (c *Cache) recordMiss(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.misses++
	delete(c.items, k)
}

func (c *Cache) Get(k string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[k]
	if !ok {
		c.misses++
		return "", false
	}
	if time.Now().After(e.expires) {
		c.recordMiss(k) // BUG: c.mu is already held.
		return "", false
	}
	c.hits++
	return e.val, true
}

// FixedCache is Cache with the expiry path fixed.
type FixedCache struct {
	mu     sync.Mutex
	ttl    time.Duration
	items  map[string]entry
	hits   int
	misses int
}

func NewFixedCache(ttl time.Duration) *FixedCache {
	return &FixedCache{ttl: ttl, items: make(map[string]entry)}
}

func (c *FixedCache) Set(k, v string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[k] = entry{val: v, expires: time.Now().Add(c.ttl)}
}

func (c *FixedCache) recordMissLocked(k string) {
	c.misses++
	delete(c.items, k)
}

func (c *FixedCache) Get(k string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[k]
	if !ok {
		c.misses++
		return "", false
	}
	if time.Now().After(e.expires) {
		c.recordMissLocked(k)
		return "", false
	}
	c.hits++
	return e.val, true
}
