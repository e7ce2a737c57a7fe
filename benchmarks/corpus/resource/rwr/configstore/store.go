package configstore

import (
	"math/rand"
	"strings"
	"sync"
	"time"
)

// parse stands for decoding a value (occasionally slow).
func parse(v string) string {
	if rand.Intn(8) == 0 {
		time.Sleep(time.Duration(rand.Intn(30)) * time.Microsecond)
	}
	return strings.TrimSpace(v)
}

type Store struct {
	mu     sync.RWMutex
	values map[string]string
	gen    int
	stop   chan struct{}
	done   chan struct{}
}

func NewStore(initial map[string]string, every time.Duration) *Store {
	s := &Store{values: initial, stop: make(chan struct{}), done: make(chan struct{})}
	go s.reloadLoop(every)
	return s
}

func (s *Store) reloadLoop(every time.Duration) {
	defer close(s.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.reload()
		}
	}
}

func (s *Store) reload() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++
}

func (s *Store) Get(key string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v := parse(s.values[key])
	if strings.HasPrefix(v, "${") && strings.HasSuffix(v, "}") {
		return s.Get(v[2 : len(v)-1]) // BUG: recursive RLock
	}
	return v
}

func (s *Store) Close() { close(s.stop); <-s.done }

type FixedStore struct {
	mu     sync.RWMutex
	values map[string]string
	gen    int
	stop   chan struct{}
	done   chan struct{}
}

func NewFixedStore(initial map[string]string, every time.Duration) *FixedStore {
	s := &FixedStore{values: initial, stop: make(chan struct{}), done: make(chan struct{})}
	go s.reloadLoop(every)
	return s
}

func (s *FixedStore) reloadLoop(every time.Duration) {
	defer close(s.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.mu.Lock()
			s.gen++
			s.mu.Unlock()
		}
	}
}

func (s *FixedStore) Get(key string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.getLocked(key, 0)
}

func (s *FixedStore) getLocked(key string, depth int) string {
	v := parse(s.values[key])
	if depth < 8 && strings.HasPrefix(v, "${") && strings.HasSuffix(v, "}") {
		return s.getLocked(v[2:len(v)-1], depth+1)
	}
	return v
}

func (s *FixedStore) Close() { close(s.stop); <-s.done }
