// Command sendonclosed runs a crawler: workers fetch pages and send their
// links on a results channel; the collector stops after enough links and
// closes the channel to "stop" the workers, but a worker still sending
// panics (send on closed channel; the pool's wrapper recovers it, losing
// the page). gridlock reports the send with the stack of the close. With
// -fixed the collector cancels a done channel and the workers select on it;
// only senders close.
package main

import (
	"flag"
	"fmt"
	"sync"
	"time"
)

// fetch pretends to fetch a page and returns its links.
func fetch(page int) []int {
	time.Sleep(time.Duration(page%3) * time.Millisecond)
	return []int{page * 10, page*10 + 1}
}

// worker sends the links of its pages until told to stop.
func worker(pages []int, results chan<- int, done <-chan struct{}, fixed bool) {
	for _, p := range pages {
		for _, l := range fetch(p) {
			if fixed {
				select {
				case results <- l:
				case <-done:
					return
				}
				continue
			}
			results <- l
		}
	}
}

// Crawl collects up to limit links from workers workers.
func Crawl(workers, limit int, fixed bool) (links []int, panics int) {
	results := make(chan int)
	done := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { // the pool's wrapper: a panicking task is logged and dropped
				if recover() != nil {
					mu.Lock()
					panics++
					mu.Unlock()
				}
			}()
			worker([]int{w, w + workers, w + 2*workers}, results, done, fixed)
		}()
	}
	for l := range results {
		links = append(links, l)
		if len(links) == limit {
			break
		}
	}
	if fixed {
		close(done)
	} else {
		close(results) // "stops" the workers: the next send panics
	}
	wg.Wait()
	return links, panics
}

func main() {
	fixed := flag.Bool("fixed", false, "run the fixed version")
	flag.Parse()
	links, panics := Crawl(4, 5, *fixed)
	fmt.Println(len(links), "links,", panics, "workers panicked")
}
