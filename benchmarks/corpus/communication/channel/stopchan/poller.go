package stopchan

import (
	"errors"
	"math/rand"
	"sync"
	"time"
)

type Poller struct {
	quit  chan struct{}
	polls int
	err   error
}

func StartPoller(every time.Duration, failRate float64) *Poller {
	p := &Poller{quit: make(chan struct{})}
	go p.loop(every, failRate)
	return p
}

func (p *Poller) loop(every time.Duration, failRate float64) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-p.quit:
			return
		case <-t.C:
			p.polls++
			if rand.Float64() < failRate {
				p.err = errors.New("poll failed")
				return // the loop ends on its own
			}
		}
	}
}

// Stop asks the loop to exit.
func (p *Poller) Stop() {
	p.quit <- struct{}{} // BUG: blocks forever if the loop already returned
}

type FixedPoller struct {
	quit  chan struct{}
	done  chan struct{}
	once  sync.Once
	polls int
	err   error
}

func StartFixedPoller(every time.Duration, failRate float64) *FixedPoller {
	p := &FixedPoller{quit: make(chan struct{}), done: make(chan struct{})}
	go p.loop(every, failRate)
	return p
}

func (p *FixedPoller) loop(every time.Duration, failRate float64) {
	defer close(p.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-p.quit:
			return
		case <-t.C:
			p.polls++
			if rand.Float64() < failRate {
				p.err = errors.New("poll failed")
				return
			}
		}
	}
}

func (p *FixedPoller) Stop() {
	p.once.Do(func() { close(p.quit) })
	<-p.done
}
