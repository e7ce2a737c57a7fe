// Command nilchan has an event bus whose constructor forgets to make the
// channel of a late-added field: Publish sends on a nil channel, which
// blocks forever (outside a select, a nil channel is never ready). gridlock
// reports the send when it starts, not when something times out. With
// -fixed the constructor makes the channel.
package main

import (
	"flag"
	"fmt"
	"time"
)

type Bus struct {
	events chan string
	audit  chan string // added later; NewBus was not updated
}

func NewBus(fixed bool) *Bus {
	b := &Bus{events: make(chan string, 8)}
	if fixed {
		b.audit = make(chan string, 8)
	}
	return b
}

// Publish queues an event and its audit record.
func (b *Bus) Publish(ev string) {
	b.events <- ev
	b.audit <- "published " + ev
}

func run(fixed bool) bool {
	b := NewBus(fixed)
	done := make(chan struct{})
	go func() {
		b.Publish("started")
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(100 * time.Millisecond):
		return false // Publish is stuck
	}
}

func main() {
	fixed := flag.Bool("fixed", false, "run the fixed version")
	flag.Parse()
	fmt.Println("published:", run(*fixed))
}
