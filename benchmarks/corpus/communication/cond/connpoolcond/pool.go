package connpoolcond

import (
	"math/rand"
	"sync"
	"time"
)

type Conn struct {
	ID     int
	Broken bool
}

type Pool struct {
	mu    sync.Mutex
	cond  *sync.Cond
	idle  []*Conn
	open  int
	max   int
	next  int
	fixed bool
}

func NewPool(max int, fixed bool) *Pool {
	p := &Pool{max: max, fixed: fixed}
	p.cond = sync.NewCond(&p.mu)
	return p
}

func (p *Pool) Get() *Conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.idle) == 0 && p.open >= p.max {
		p.cond.Wait()
	}
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		return c
	}
	p.open++
	p.next++
	return &Conn{ID: p.next}
}

func (p *Pool) Put(c *Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c.Broken {
		p.open--
		if p.fixed {
			p.cond.Signal()
		}
		return // BUG otherwise: the freed slot is not signalled
	}
	p.idle = append(p.idle, c)
	p.cond.Signal()
}

// use simulates a query; the connection sometimes breaks.
func use(c *Conn) {
	time.Sleep(time.Duration(rand.Intn(100)) * time.Microsecond)
	if rand.Intn(10) == 0 {
		c.Broken = true
	}
}
