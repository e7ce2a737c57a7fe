package poolerr

import (
	"errors"
	"math/rand"
	"sync"
)

var errDial = errors.New("dial: connection refused")

type Conn struct{ id int }

// Dialer opens a connection; it may fail.
type Dialer func() (*Conn, error)

func FlakyDialer(failRate float64) Dialer {
	n := 0
	var mu sync.Mutex
	return func() (*Conn, error) {
		mu.Lock()
		defer mu.Unlock()
		n++
		if rand.Float64() < failRate {
			return nil, errDial
		}
		return &Conn{id: n}, nil
	}
}

type Pool struct {
	mu   sync.Mutex
	idle []*Conn
	dial Dialer
	open int
}

func NewPool(d Dialer) *Pool { return &Pool{dial: d} }

func (p *Pool) Get() (*Conn, error) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, nil
	}
	c, err := p.dial()
	if err != nil {
		return nil, err // BUG: p.mu is still locked.
	}
	p.open++
	p.mu.Unlock()
	return c, nil
}

func (p *Pool) Put(c *Conn) {
	p.mu.Lock()
	p.idle = append(p.idle, c)
	p.mu.Unlock()
}

type FixedPool struct {
	mu   sync.Mutex
	idle []*Conn
	dial Dialer
	open int
}

func NewFixedPool(d Dialer) *FixedPool { return &FixedPool{dial: d} }

func (p *FixedPool) Get() (*Conn, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		return c, nil
	}
	c, err := p.dial()
	if err != nil {
		return nil, err
	}
	p.open++
	return c, nil
}

func (p *FixedPool) Put(c *Conn) {
	p.mu.Lock()
	p.idle = append(p.idle, c)
	p.mu.Unlock()
}
