package leaderelect

import (
	"math/rand"
	"sync"
	"time"
)

type Election struct {
	mu       sync.Mutex
	cond     *sync.Cond
	leader   string
	cands    []string
	announce chan string
	fixed    bool
}

func NewElection(fixed bool) *Election {
	size := 0
	if fixed {
		size = 1
	}
	e := &Election{announce: make(chan string, size), fixed: fixed}
	e.cond = sync.NewCond(&e.mu)
	go e.elect()
	return e
}

func (e *Election) elect() {
	time.Sleep(time.Duration(rand.Intn(500)) * time.Microsecond) // election timeout
	e.mu.Lock()
	leader := "self"
	if len(e.cands) > 0 {
		leader = e.cands[rand.Intn(len(e.cands))]
	}
	e.leader = leader
	e.mu.Unlock()
	if e.fixed {
		e.cond.Broadcast()
		e.announce <- leader
		return
	}
	e.announce <- leader // BUG: candidates read it only after the broadcast
	e.cond.Broadcast()
}

// Campaign returns the elected leader as seen by this candidate.
func (e *Election) Campaign(name string) string {
	e.mu.Lock()
	e.cands = append(e.cands, name)
	for e.leader == "" {
		e.cond.Wait()
	}
	e.mu.Unlock()
	select {
	case l := <-e.announce:
		return l
	default:
		e.mu.Lock()
		defer e.mu.Unlock()
		return e.leader
	}
}
