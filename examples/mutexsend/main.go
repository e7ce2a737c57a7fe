// Command mutexsend has a config store that notifies a watcher of each
// update by sending on a channel while it still holds its mutex; the
// watcher, after receiving an update, locks the store to read it. A second
// update arriving while the watcher waits for the mutex deadlocks both: the
// store holds the mutex and waits for the watcher to receive, the watcher
// waits for the mutex. With -fixed the store unlocks before sending.
package main

import (
	"flag"
	"fmt"
	"sync"
	"time"
)

type Store struct {
	mu      sync.Mutex
	version int
	updates chan int
	fixed   bool
}

// Set stores a new version and notifies the watcher.
func (s *Store) Set(v int) {
	s.mu.Lock()
	s.version = v
	if s.fixed {
		s.mu.Unlock()
		s.updates <- v
		return
	}
	s.updates <- v // sends while holding s.mu
	s.mu.Unlock()
}

// Watch applies updates until n have been seen.
func (s *Store) Watch(n int, done chan<- int) {
	seen := 0
	for range s.updates {
		time.Sleep(time.Millisecond) // applying takes a moment: the next Set gets the mutex first
		s.mu.Lock()
		seen = s.version
		s.mu.Unlock()
		if n--; n == 0 {
			break
		}
	}
	done <- seen
}

func run(fixed bool) int {
	s := &Store{updates: make(chan int), fixed: fixed}
	done := make(chan int)
	go s.Watch(3, done)
	var wg sync.WaitGroup
	for v := 1; v <= 3; v++ {
		wg.Add(1)
		go func() { defer wg.Done(); s.Set(v) }()
	}
	wg.Wait()
	return <-done
}

func main() {
	fixed := flag.Bool("fixed", false, "run the fixed version")
	flag.Parse()
	fmt.Println("version:", run(*fixed))
}
