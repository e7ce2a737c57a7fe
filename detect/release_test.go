//go:build !gridlock_off

package detect_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/gridlock-go/gridlock/detect"
	"github.com/petermattis/goid"
)

// Regression tests for Unlock's bookkeeping around sync's unlock: only the
// unlocking goroutine's own last entry may be removed after it, and nothing
// of the lock itself may be touched then.

// spacedFrom starts goroutines until one's id falls in a registry shard
// well after c's (the registry visits shards in order), and returns.
func spacedFrom(c int64) {
	for {
		x := make(chan int64)
		go func() { x <- goid.Get() }()
		if id := <-x; id%256 >= c%256+40 || id%256 < c%256 {
			return
		}
	}
}

// A locks m and B unlocks it (legal: a sync.Mutex has no owner) while C
// spins on TryLock. If B's removal of A's entry ran after sync's unlock, it
// could remove C's fresh entry instead: A would then be seen holding m and
// its next Lock reported as a double lock.
func TestForeignUnlockWhileAnotherLocks(t *testing.T) {
	reports := start(t, detect.WithTimeout(time.Hour))
	for range 300 {
		var m detect.Mutex
		cid := make(chan int64, 1)
		aLocked, unlocked, cDone, aDone := make(chan struct{}), make(chan struct{}), make(chan struct{}), make(chan struct{})
		go func() { // C
			cid <- goid.Get()
			var other detect.Mutex
			other.Lock() // C has a state in the registry
			other.Unlock()
			<-aLocked
			for !m.TryLock() {
			}
			time.Sleep(200 * time.Microsecond)
			m.Unlock()
			close(cDone)
		}()
		spacedFrom(<-cid)
		go func() { // A
			m.Lock()
			close(aLocked)
			<-unlocked // B unlocked it for A
			m.Lock()
			m.Unlock()
			close(aDone)
		}()
		<-aLocked
		time.Sleep(10 * time.Microsecond)
		m.Unlock() // B
		close(unlocked)
		<-cDone
		<-aDone
	}
	if r := reports(); len(r) != 0 {
		t.Errorf("reports = %v, want none", kinds(r))
	}
}

type reusable struct {
	mu   detect.Mutex
	done bool
}

// An object reset once its last user has unlocked it (seen under its lock):
// correct with sync, so Unlock must not touch the mutex after sync's
// unlock. Run with -race.
func TestResetAfterUnlock(t *testing.T) {
	reports := start(t, detect.WithTimeout(time.Hour))
	for range 2000 {
		o := &reusable{}
		go func() {
			o.mu.Lock()
			o.done = true
			o.mu.Unlock()
		}()
		for {
			o.mu.Lock()
			done := o.done
			o.mu.Unlock()
			if done {
				break
			}
			runtime.Gosched()
		}
		*o = reusable{} // back to a free list, say
	}
	if r := reports(); len(r) != 0 {
		t.Errorf("reports = %v, want none", kinds(r))
	}
}
