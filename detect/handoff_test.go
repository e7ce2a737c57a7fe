//go:build !gridlock_off

package detect_test

import (
	"testing"
	"time"

	"github.com/gridlock-go/gridlock/detect"
)

// Go's locks are not owned: one goroutine may lock a Mutex and another
// unlock it (a lock handed to a goroutine that finishes the work, a Mutex
// used as a semaphore). Waits that such a hand-off will end are not
// reported; the same waits with nobody to unlock are, within a second.

// publish locks m and hands the unlock to a goroutine that finishes after
// d, as asaskevich/EventBus's transactional Publish does.
//
//go:noinline
func publish(m *detect.Mutex, d time.Duration) {
	m.Lock()
	go func() {
		time.Sleep(d)
		m.Unlock()
	}()
}

// lockAndReturn locks m and returns holding it (the Unlock on an error path
// was forgotten).
//
//go:noinline
func lockAndReturn(m *detect.Mutex) { m.Lock() }

func TestHandoffRelockIsSilent(t *testing.T) {
	reports := start(t, detect.WithTimeout(time.Hour))
	var m detect.Mutex
	publish(&m, 300*time.Millisecond)
	publish(&m, 0) // waits for the first one's goroutine: a double-lock only by its look
	m.Lock()
	m.Unlock()
	time.Sleep(100 * time.Millisecond)
	if r := reports(); len(r) != 0 {
		t.Fatalf("reports = %v, want none", kinds(r))
	}
}

func TestEscapedRelockIsDeadlock(t *testing.T) {
	reports := start(t, detect.WithTimeout(time.Hour))
	var m detect.Mutex
	done := make(chan bool)
	go func() {
		lockAndReturn(&m)
		lockAndReturn(&m) // nobody will unlock it
		done <- true
	}()
	r := waitFor(t, reports, detect.KindDeadlock) // after a second's wait: another goroutine may unlock
	if len(r.Goroutines) != 1 || !names(r.Goroutines[0].WaitStack, "lockAndReturn") || len(r.Goroutines[0].Holds) != 1 {
		t.Errorf("goroutines = %+v, want the one waiting in lockAndReturn for the lock it holds", r.Goroutines)
	}
	for _, r := range reports() {
		if r.Kind == detect.KindDoubleLock {
			t.Errorf("reports = %v: a double-lock at once, but the frame that took the lock has returned", kinds(reports()))
		}
	}
	m.Unlock()
	<-done
	m.Unlock()
}

func TestHandoffByExitedGoroutineIsSilent(t *testing.T) {
	reports := start(t, detect.WithTimeout(time.Hour))
	var m detect.Mutex
	done := make(chan bool)
	go func() { m.Lock(); done <- true }() // locks, exits; the test unlocks later
	<-done
	go func() { m.Lock(); m.Unlock(); done <- true }()
	time.Sleep(500 * time.Millisecond)
	m.Unlock()
	<-done
	time.Sleep(100 * time.Millisecond)
	if r := reports(); len(r) != 0 {
		t.Fatalf("reports = %v, want none", kinds(r))
	}
}
