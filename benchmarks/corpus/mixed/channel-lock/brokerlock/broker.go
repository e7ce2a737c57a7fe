package brokerlock

import "sync"

type Sub struct {
	C    chan string
	done chan struct{}
}

type Broker struct {
	mu   sync.Mutex
	subs map[*Sub]bool
}

func NewBroker() *Broker { return &Broker{subs: map[*Sub]bool{}} }

func (b *Broker) Subscribe() *Sub {
	s := &Sub{C: make(chan string), done: make(chan struct{})}
	b.mu.Lock()
	b.subs[s] = true
	b.mu.Unlock()
	return s
}

func (b *Broker) Unsubscribe(s *Sub) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.subs[s] {
		delete(b.subs, s)
		close(s.done)
	}
}

// Close unsubscribes everybody.
func (b *Broker) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		delete(b.subs, s)
		close(s.done)
	}
}

func (b *Broker) Publish(msg string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		s.C <- msg // BUG: sends while holding b.mu
	}
}

// FixedPublish sends outside the lock and skips departed subscribers.
func (b *Broker) FixedPublish(msg string) {
	b.mu.Lock()
	subs := make([]*Sub, 0, len(b.subs))
	for s := range b.subs {
		subs = append(subs, s)
	}
	b.mu.Unlock()
	for _, s := range subs {
		select {
		case s.C <- msg:
		case <-s.done:
		}
	}
}
