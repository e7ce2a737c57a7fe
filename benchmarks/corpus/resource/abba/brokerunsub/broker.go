package brokerunsub

import (
	"math/rand"
	"sync"
	"time"
)

// notifyClient stands for a short network write.
func notifyClient(pending int) {
	time.Sleep(time.Duration(rand.Intn(50)+pending) * time.Microsecond)
}

type Subscription struct {
	mu     sync.Mutex
	broker *Broker
	queue  []string
	closed bool
}

type Broker struct {
	mu   sync.Mutex
	subs map[*Subscription]struct{}
}

func NewBroker() *Broker { return &Broker{subs: map[*Subscription]struct{}{}} }

func (b *Broker) Subscribe() *Subscription {
	s := &Subscription{broker: b}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	return s
}

func (b *Broker) Publish(msg string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		s.mu.Lock()
		if !s.closed {
			s.queue = append(s.queue, msg)
		}
		s.mu.Unlock()
	}
}

func (s *Subscription) Drain() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queue
	s.queue = nil
	return q
}

func (s *Subscription) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	notifyClient(len(s.queue)) // tell the client its stream ends
	s.broker.mu.Lock()         // BUG: sub.mu -> broker.mu; Publish does broker.mu -> sub.mu
	delete(s.broker.subs, s)
	s.broker.mu.Unlock()
}

type FixedSubscription struct {
	mu     sync.Mutex
	broker *FixedBroker
	queue  []string
	closed bool
}

type FixedBroker struct {
	mu   sync.Mutex
	subs map[*FixedSubscription]struct{}
}

func NewFixedBroker() *FixedBroker { return &FixedBroker{subs: map[*FixedSubscription]struct{}{}} }

func (b *FixedBroker) Subscribe() *FixedSubscription {
	s := &FixedSubscription{broker: b}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	return s
}

func (b *FixedBroker) Publish(msg string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		s.mu.Lock()
		if !s.closed {
			s.queue = append(s.queue, msg)
		}
		s.mu.Unlock()
	}
}

func (s *FixedSubscription) Drain() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queue
	s.queue = nil
	return q
}

func (s *FixedSubscription) Close() {
	s.broker.mu.Lock()
	delete(s.broker.subs, s)
	s.broker.mu.Unlock()
	s.mu.Lock()
	s.closed = true
	notifyClient(len(s.queue))
	s.mu.Unlock()
}
