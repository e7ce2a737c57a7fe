// Command doubleunlock keeps sessions in a map guarded by a mutex; Expire
// unlocks early on its "not found" path and then again at the end, so an
// expiry of an unknown session unlocks an unlocked mutex: sync's fatal
// error, which no recover stops. gridlock reports the Unlock with the stack
// of the previous one before sync stops the program. With -fixed the early
// path returns after its Unlock.
package main

import (
	"flag"
	"fmt"
	"sync"
)

type Sessions struct {
	mu   sync.Mutex
	byID map[string]int
}

// Expire removes the session id and reports whether it existed.
func (s *Sessions) Expire(id string, fixed bool) bool {
	s.mu.Lock()
	if _, ok := s.byID[id]; !ok {
		s.mu.Unlock()
		if fixed {
			return false
		}
	}
	delete(s.byID, id)
	s.mu.Unlock()
	return true
}

func run(fixed bool) int {
	s := &Sessions{byID: map[string]int{"a": 1, "b": 2}}
	s.Expire("a", fixed)
	s.Expire("zzz", fixed)
	return len(s.byID)
}

func main() {
	fixed := flag.Bool("fixed", false, "run the fixed version")
	flag.Parse()
	fmt.Println("sessions left:", run(*fixed))
}
