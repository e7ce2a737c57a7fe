package crawler

import (
	"fmt"
	"math/rand"
	"sync"
)

type Crawler struct {
	mu    sync.Mutex
	seen  map[string]bool
	queue chan string
	wg    sync.WaitGroup
	links map[string][]string
	fixed bool
}

// randomGraph builds a site map with a random fan-out.
func randomGraph(pages int) map[string][]string {
	g := map[string][]string{}
	for i := 0; i < pages; i++ {
		n := rand.Intn(6)
		for j := 0; j < n; j++ {
			g[fmt.Sprint("/p", i)] = append(g[fmt.Sprint("/p", i)], fmt.Sprint("/p", rand.Intn(pages)))
		}
	}
	return g
}

func New(pages, queueSize int, fixed bool) *Crawler {
	return &Crawler{seen: map[string]bool{}, queue: make(chan string, queueSize), links: randomGraph(pages), fixed: fixed}
}

func (c *Crawler) enqueue(u string) {
	c.mu.Lock()
	if c.seen[u] {
		c.mu.Unlock()
		return
	}
	c.seen[u] = true
	c.mu.Unlock()
	c.wg.Add(1)
	if c.fixed {
		go func() { c.queue <- u }()
		return
	}
	c.queue <- u // BUG: all workers can block here on a full queue
}

func (c *Crawler) worker() {
	for u := range c.queue {
		for _, l := range c.links[u] {
			c.enqueue(l)
		}
		c.wg.Done()
	}
}

// Crawl visits every page reachable from start.
func (c *Crawler) Crawl(start string, workers int) int {
	for i := 0; i < workers; i++ {
		go c.worker()
	}
	c.enqueue(start)
	c.wg.Wait()
	close(c.queue)
	return len(c.seen)
}
