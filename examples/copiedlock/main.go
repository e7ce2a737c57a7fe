// Command copiedlock counts hits in shards, each with its own mutex. Grow
// appends shards to the slice; when append reallocates, it copies every
// shard, mutex included (go vet's copylocks check does not see copies made
// by append): a shard locked during the copy would stay locked in the new
// slice, and a goroutine still holding a pointer into the old array locks
// a different mutex than one using the new. gridlock reports the lock used
// through a copy made after first use. With -fixed the shards are pointers.
package main

import (
	"flag"
	"fmt"
	"sync"
)

type shard struct {
	mu sync.Mutex
	n  int
}

type Counter struct {
	shards []shard  // the bug: shards by value
	fixed  []*shard // the fix
}

func (c *Counter) shard(key int) *shard {
	if c.fixed != nil {
		return c.fixed[key%len(c.fixed)]
	}
	return &c.shards[key%len(c.shards)]
}

func (c *Counter) Add(key, n int) {
	s := c.shard(key)
	s.mu.Lock()
	s.n += n
	s.mu.Unlock()
}

// Grow adds n shards.
func (c *Counter) Grow(n int) {
	if c.fixed != nil {
		for range n {
			c.fixed = append(c.fixed, new(shard))
		}
		return
	}
	c.shards = append(c.shards, make([]shard, n)...)
}

func (c *Counter) Total() int {
	total := 0
	for i := range max(len(c.shards), len(c.fixed)) {
		s := c.shard(i)
		s.mu.Lock()
		total += s.n
		s.mu.Unlock()
	}
	return total
}

func run(fixed bool) int {
	c := &Counter{shards: make([]shard, 2)}
	if fixed {
		c = &Counter{fixed: []*shard{new(shard), new(shard)}}
	}
	for k := range 4 {
		c.Add(k, 1)
	}
	c.Grow(2)
	for k := range 4 {
		c.Add(k, 1)
	}
	return c.Total()
}

func main() {
	fixed := flag.Bool("fixed", false, "run the fixed version")
	flag.Parse()
	fmt.Println("total:", run(*fixed))
}
