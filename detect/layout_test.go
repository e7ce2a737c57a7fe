//go:build !gridlock_off

package detect

import (
	"sync/atomic"
	"testing"
	"time"
	"unsafe"
)

// TestSyncMutexLayout checks what Mutex.Unlock relies on against the
// installed Go: sync.Mutex starts with its int32 state word, whose low bit
// says it is locked, whoever locked it and whether goroutines wait.
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
	if locked() {
		t.Fatal("an unlocked sync.Mutex reads as locked")
	}
	if !m.mu.TryLock() || !locked() {
		t.Fatal("TryLock did not set the locked bit")
	}
	m.mu.Unlock()
}

func waitABit() { time.Sleep(time.Millisecond) }
