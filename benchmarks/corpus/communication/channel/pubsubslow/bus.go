package pubsubslow

import "sync"

type sub struct {
	ch   chan string
	done chan struct{}
}

type Bus struct {
	mu   sync.Mutex
	subs []*sub
}

func (b *Bus) Subscribe() (<-chan string, func()) {
	s := &sub{ch: make(chan string), done: make(chan struct{})}
	b.mu.Lock()
	b.subs = append(b.subs, s)
	b.mu.Unlock()
	var once sync.Once
	return s.ch, func() { once.Do(func() { close(s.done) }) }
}

func (b *Bus) snapshot() []*sub {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]*sub(nil), b.subs...)
}

func (b *Bus) Publish(ev string) {
	for _, s := range b.snapshot() {
		s.ch <- ev // BUG: blocks forever on a subscriber that stopped reading
	}
}

// FixedPublish stops sending to subscribers that went away.
func (b *Bus) FixedPublish(ev string) {
	for _, s := range b.snapshot() {
		select {
		case s.ch <- ev:
		case <-s.done:
		}
	}
}

// waitFor reads events until it sees want, then stops reading.
func waitFor(events <-chan string, want string, cancel func(), closeOnExit bool, ready *sync.WaitGroup) {
	defer ready.Done()
	for ev := range events {
		if ev == want {
			break
		}
	}
	if closeOnExit {
		cancel()
	}
}
