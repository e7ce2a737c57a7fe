package connpoolwait

import (
	"math/rand"
	"sync"
	"time"
)

type Conn struct{ ID int }

type Pool struct {
	mu    sync.Mutex
	idle  []*Conn
	open  int
	max   int
	free  chan struct{}
	fixed bool
}

func NewPool(max int, fixed bool) *Pool {
	return &Pool{max: max, free: make(chan struct{}, max), fixed: fixed}
}

func (p *Pool) Get() *Conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.idle) == 0 && p.open >= p.max {
		if p.fixed {
			p.mu.Unlock()
			<-p.free
			p.mu.Lock()
			continue
		}
		<-p.free // BUG: waits while holding p.mu
	}
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		return c
	}
	p.open++
	return &Conn{ID: p.open}
}

func (p *Pool) Put(c *Conn) {
	p.mu.Lock()
	p.idle = append(p.idle, c)
	p.mu.Unlock()
	select {
	case p.free <- struct{}{}:
	default:
	}
}

func query(c *Conn) { time.Sleep(time.Duration(rand.Intn(300)) * time.Microsecond) }
