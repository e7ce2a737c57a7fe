// Command doublelock has a session store whose Touch method locks the store
// and then calls Expired, which locks it again: a goroutine that locks a
// sync.Mutex it already holds blocks forever. With -fixed, Touch calls the
// unexported expiredLocked that expects the lock to be held.
package main

import (
	"flag"
	"fmt"
	"sync"
	"time"
)

type Store struct {
	mu       sync.Mutex
	fixed    bool
	sessions map[string]time.Time
}

// Expired reports whether the session has expired.
func (s *Store) Expired(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.expiredLocked(id)
}

func (s *Store) expiredLocked(id string) bool {
	return time.Since(s.sessions[id]) > time.Hour
}

// Touch renews a session unless it has expired.
func (s *Store) Touch(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	expired := false
	if s.fixed {
		expired = s.expiredLocked(id)
	} else {
		expired = s.Expired(id) // locks s.mu again
	}
	if !expired {
		s.sessions[id] = time.Now()
	}
	return !expired
}

func run(fixed bool) bool {
	s := &Store{fixed: fixed, sessions: map[string]time.Time{"a": time.Now()}}
	return s.Touch("a")
}

func main() {
	fixed := flag.Bool("fixed", false, "run the fixed version")
	flag.Parse()
	fmt.Println("touched:", run(*fixed))
}
