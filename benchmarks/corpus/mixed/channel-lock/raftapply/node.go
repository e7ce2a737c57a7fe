package raftapply

import (
	"math/rand"
	"sync"
	"time"
)

type Node struct {
	mu      sync.Mutex
	term    int
	log     []string
	commit  int
	applied int
	ApplyC  chan string
	stop    chan struct{}
	done    chan struct{}
	fixed   bool
}

func NewNode(fixed bool) *Node {
	n := &Node{ApplyC: make(chan string), stop: make(chan struct{}), done: make(chan struct{}), fixed: fixed}
	go n.run()
	return n
}

func (n *Node) run() {
	defer close(n.done)
	t := time.NewTicker(300 * time.Microsecond)
	defer t.Stop()
	for {
		select {
		case <-n.stop:
			return
		case <-t.C:
			n.tick()
		}
	}
}

func (n *Node) tick() {
	n.mu.Lock()
	n.term++
	n.commit = len(n.log)
	if n.fixed {
		pending := append([]string(nil), n.log[n.applied:n.commit]...)
		n.applied = n.commit
		n.mu.Unlock()
		for _, e := range pending {
			select {
			case n.ApplyC <- e:
			case <-n.stop:
				return
			}
		}
		return
	}
	defer n.mu.Unlock()
	for ; n.applied < n.commit; n.applied++ {
		n.ApplyC <- n.log[n.applied] // BUG: sends while holding n.mu
	}
}

func (n *Node) Term() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.term
}

func (n *Node) Propose(e string) {
	n.mu.Lock()
	n.log = append(n.log, e)
	n.mu.Unlock()
}

func (n *Node) Stop() { close(n.stop); <-n.done }

// Apply consumes committed entries until stop is closed.
func Apply(n *Node, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	for {
		select {
		case <-stop:
			return
		case e := <-n.ApplyC:
			_ = e
			if rand.Intn(3) == 0 {
				time.Sleep(100 * time.Microsecond) // write to the state machine
			}
			_ = n.Term()
		}
	}
}
