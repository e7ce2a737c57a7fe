// Command closenil has a poller whose Stop closes the quit channel that
// Start makes; a shutdown path that stops a poller that never started
// closes a nil channel, and the runtime panics (recovered here by the
// shutdown's wrapper, which logs it). gridlock reports the close with its
// stack. With -fixed the channel is made by the constructor.
package main

import (
	"flag"
	"fmt"
	"time"
)

type Poller struct {
	quit chan struct{}
}

func NewPoller(fixed bool) *Poller {
	p := &Poller{}
	if fixed {
		p.quit = make(chan struct{})
	}
	return p
}

func (p *Poller) Start() {
	if p.quit == nil {
		p.quit = make(chan struct{})
	}
	go func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
			case <-p.quit:
				return
			}
		}
	}()
}

func (p *Poller) Stop() { close(p.quit) }

// shutdown stops every poller, logging panics.
func shutdown(ps []*Poller) (panics int) {
	for _, p := range ps {
		func() {
			defer func() {
				if recover() != nil {
					panics++
				}
			}()
			p.Stop()
		}()
	}
	return panics
}

func run(fixed bool) int {
	a, b := NewPoller(fixed), NewPoller(fixed)
	a.Start() // b is configured off and never started
	return shutdown([]*Poller{a, b})
}

func main() {
	fixed := flag.Bool("fixed", false, "run the fixed version")
	flag.Parse()
	fmt.Println("panics:", run(*fixed))
}
