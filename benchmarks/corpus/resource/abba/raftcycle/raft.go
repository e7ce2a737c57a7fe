package raftcycle

import (
	"math/rand"
	"sync"
	"time"
)

// fsync stands for flushing the log to disk.
func fsync() {
	if rand.Intn(4) == 0 {
		time.Sleep(time.Duration(rand.Intn(40)) * time.Microsecond)
	}
}

type Transport struct {
	mu    sync.Mutex
	node  *Node
	sent  int
	inbox []string
	fixed bool
}

// Send is called by the log to replicate entries.
func (tr *Transport) Send(msg string) {
	tr.mu.Lock()
	tr.sent++
	tr.mu.Unlock()
}

// deliver hands queued incoming messages to the node.
func (tr *Transport) deliver() {
	tr.mu.Lock()
	if tr.fixed {
		msgs := tr.inbox
		tr.inbox = nil
		tr.mu.Unlock()
		for _, m := range msgs {
			tr.node.Step(m)
		}
		return
	}
	defer tr.mu.Unlock()
	for _, m := range tr.inbox {
		tr.node.Step(m) // BUG (unfixed): transport.mu -> node.mu
	}
	tr.inbox = nil
}

func (tr *Transport) receive(msg string) {
	tr.mu.Lock()
	tr.inbox = append(tr.inbox, msg)
	tr.mu.Unlock()
}

type Log struct {
	mu      sync.Mutex
	entries []string
	tr      *Transport
}

func (l *Log) Append(e string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, e)
	fsync()
	l.tr.Send(e) // log.mu -> transport.mu
}

func (l *Log) LastIndex() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.entries)
}

type Node struct {
	mu     sync.Mutex
	term   int
	commit int
	log    *Log
	tr     *Transport
	stop   chan struct{}
	done   sync.WaitGroup
}

func newNode(fixed bool) *Node {
	n := &Node{stop: make(chan struct{})}
	n.tr = &Transport{node: n, fixed: fixed}
	n.log = &Log{tr: n.tr}
	return n
}

// NewNode returns the buggy node.
func NewNode() *Node { return newNode(false) }

// NewFixedNode returns the node whose transport does not hold its lock while
// stepping the node.
func NewFixedNode() *Node { return newNode(true) }

func (n *Node) Start(tick time.Duration) {
	n.done.Add(2)
	go n.tickLoop(tick)
	go n.recvLoop(tick / 2)
}

func (n *Node) tickLoop(d time.Duration) {
	defer n.done.Done()
	t := time.NewTicker(d)
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

func (n *Node) recvLoop(d time.Duration) {
	defer n.done.Done()
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-n.stop:
			return
		case <-t.C:
			n.tr.deliver()
		}
	}
}

func (n *Node) tick() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.commit = n.log.LastIndex() // node.mu -> log.mu
}

func (n *Node) Step(msg string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.term++
	fsync() // persist the term
}

func (n *Node) Propose(e string) { n.log.Append(e) }

func (n *Node) Stop() { close(n.stop); n.done.Wait() }
