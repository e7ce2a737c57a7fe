package startup

import (
	"math/rand"
	"sync"
	"time"
)

type Gate struct {
	mu    sync.Mutex
	cond  *sync.Cond
	ready bool
}

func NewGate() *Gate { g := &Gate{}; g.cond = sync.NewCond(&g.mu); return g }

func (g *Gate) isReady() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.ready
}

func (g *Gate) MarkReady() {
	g.mu.Lock()
	g.ready = true
	g.mu.Unlock()
	g.cond.Broadcast()
}

func (g *Gate) WaitReady() {
	if g.isReady() {
		return
	}
	logWaiting()
	g.mu.Lock()
	g.cond.Wait() // BUG: the flag is not re-checked under the lock
	g.mu.Unlock()
}

func (g *Gate) FixedWaitReady() {
	g.mu.Lock()
	for !g.ready {
		g.cond.Wait()
	}
	g.mu.Unlock()
}

// logWaiting stands for a log line.
func logWaiting() {
	if rand.Intn(2) == 0 {
		time.Sleep(time.Duration(rand.Intn(200)) * time.Microsecond)
	}
}

// boot simulates loading caches before marking the service ready.
func boot(g *Gate) {
	time.Sleep(time.Duration(rand.Intn(300)) * time.Microsecond)
	g.MarkReady()
}
