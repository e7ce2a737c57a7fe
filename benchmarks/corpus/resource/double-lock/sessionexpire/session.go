package sessionexpire

import (
	"sync"
	"time"
)

type Session struct {
	ID       string
	LastSeen time.Time
}

type Manager struct {
	mu       sync.Mutex
	idle     time.Duration
	sessions map[string]*Session
	expired  int
	stop     chan struct{}
	done     chan struct{}
}

func NewManager(idle time.Duration) *Manager {
	m := &Manager{idle: idle, sessions: map[string]*Session{}, stop: make(chan struct{}), done: make(chan struct{})}
	go m.janitor()
	return m
}

func (m *Manager) janitor() {
	defer close(m.done)
	t := time.NewTicker(m.idle)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-t.C:
			m.mu.Lock()
			var old []string
			for id, s := range m.sessions {
				if time.Since(s.LastSeen) > 4*m.idle {
					old = append(old, id)
				}
			}
			m.mu.Unlock()
			for _, id := range old {
				m.Expire(id)
			}
		}
	}
}

func (m *Manager) Close() { close(m.stop); <-m.done }

func (m *Manager) Open(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sessions[id] = &Session{ID: id, LastSeen: time.Now()}
}

// Expire removes a session.
func (m *Manager) Expire(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.sessions, id)
	m.expired++
}

// Touch refreshes a session; it reports false if the session expired.
func (m *Manager) Touch(id string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[id]
	if !ok {
		return false
	}
	if time.Since(s.LastSeen) > m.idle {
		m.Expire(id) // BUG: m.mu is held.
		return false
	}
	s.LastSeen = time.Now()
	return true
}

type FixedManager struct {
	mu       sync.Mutex
	idle     time.Duration
	sessions map[string]*Session
	expired  int
	stop     chan struct{}
	done     chan struct{}
}

func NewFixedManager(idle time.Duration) *FixedManager {
	m := &FixedManager{idle: idle, sessions: map[string]*Session{}, stop: make(chan struct{}), done: make(chan struct{})}
	go m.janitor()
	return m
}

func (m *FixedManager) janitor() {
	defer close(m.done)
	t := time.NewTicker(m.idle)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-t.C:
			m.mu.Lock()
			for id, s := range m.sessions {
				if time.Since(s.LastSeen) > 4*m.idle {
					m.expireLocked(id)
				}
			}
			m.mu.Unlock()
		}
	}
}

func (m *FixedManager) Close() { close(m.stop); <-m.done }

func (m *FixedManager) Open(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sessions[id] = &Session{ID: id, LastSeen: time.Now()}
}

func (m *FixedManager) Expire(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.expireLocked(id)
}

func (m *FixedManager) expireLocked(id string) {
	delete(m.sessions, id)
	m.expired++
}

func (m *FixedManager) Touch(id string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[id]
	if !ok {
		return false
	}
	if time.Since(s.LastSeen) > m.idle {
		m.expireLocked(id)
		return false
	}
	s.LastSeen = time.Now()
	return true
}
