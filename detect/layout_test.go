//go:build !gridlock_off

package detect

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/gridlock-go/gridlock/internal/core"
)

// TestSyncMutexLayout checks what Mutex.Unlock relies on against the
// installed Go: sync.Mutex starts with its int32 state word, whose low bit
// says it is locked, whoever locked it and whether goroutines wait; the
// word is 0 when the mutex is unlocked and idle.
func TestSyncMutexLayout(t *testing.T) {
	var m Mutex
	if got := unsafe.Offsetof(m.mu); got != 0 {
		t.Fatalf("unsafe.Offsetof(Mutex.mu) = %d, want 0", got)
	}
	locked := func() bool { return atomic.LoadInt32(m.state())&mutexLocked != 0 }
	if locked() {
		t.Fatal("a zero Mutex reads as locked")
	}
	m.mu.Lock()
	if !locked() {
		t.Fatal("a locked sync.Mutex reads as unlocked")
	}
	done := make(chan struct{})
	go func() {
		m.mu.Lock() // waits: the state gains waiter bits, locked stays set
		m.mu.Unlock()
		close(done)
	}()
	for i := 0; i < 100 && atomic.LoadInt32(m.state()) == mutexLocked; i++ {
		waitABit()
	}
	if !locked() {
		t.Fatal("a locked sync.Mutex with a waiter reads as unlocked")
	}
	m.mu.Unlock()
	<-done
	if st := atomic.LoadInt32(m.state()); st != 0 {
		t.Fatalf("state = %#x after the last unlock, want 0", st)
	}
	if locked() {
		t.Fatal("an unlocked sync.Mutex reads as locked")
	}
	if !m.mu.TryLock() || atomic.LoadInt32(m.state()) != mutexLocked {
		t.Fatal("TryLock did not set the locked bit alone")
	}
	m.mu.Unlock()
}

// TestMutexOffExcludes runs Mutex with gridlock off, contended: it must
// exclude, and wake every waiter.
func TestMutexOffExcludes(t *testing.T) {
	if core.Active() != nil {
		t.Skip("a detector is active (GRIDLOCK is set)")
	}
	var (
		m  Mutex
		n  int
		wg sync.WaitGroup
	)
	const goroutines, rounds = 8, 20000
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				m.Lock()
				n++
				if i%64 == 0 {
					runtime.Gosched() // holds it while others queue
				}
				m.Unlock()
			}
		}()
	}
	wg.Wait()
	if n != goroutines*rounds {
		t.Fatalf("n = %d, want %d", n, goroutines*rounds)
	}
	if st := atomic.LoadInt32(m.state()); st != 0 {
		t.Fatalf("state = %#x at the end, want 0 (unlocked, nobody waiting)", st)
	}
}

func waitABit() { time.Sleep(time.Millisecond) }
