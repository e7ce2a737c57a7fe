//go:build !gridlock_off

package detect_test

import (
	"slices"
	"strings"
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

// observe is prometheus' summary.Observe: its buffer lock around a flush
// whose lock is handed to the flushing goroutine (asyncFlush).
//
//go:noinline
func observe(buf, mtx *detect.Mutex, d time.Duration) {
	buf.Lock()
	defer buf.Unlock()
	publish(mtx, d)
}

// A hand-off under another lock: the goroutine unlocks the buffer lock,
// taken before the flush lock it still holds in gridlock's records, and
// the next Observe takes the buffer lock again (an edge flush → buffer
// against buffer → flush) and then the flush lock (a double lock by the
// look, from the very same call site in a loop).
func TestHandoffUnderLockIsSilent(t *testing.T) {
	tests := []struct {
		name string
		give func(buf, mtx *detect.Mutex)
	}{
		{"loop at one call site", func(buf, mtx *detect.Mutex) {
			for range 5 {
				observe(buf, mtx, 20*time.Millisecond)
			}
		}},
		{"two call sites", func(buf, mtx *detect.Mutex) {
			observe(buf, mtx, 20*time.Millisecond)
			observe(buf, mtx, 20*time.Millisecond)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reports := start(t, detect.WithTimeout(time.Hour))
			var buf, mtx detect.Mutex
			tt.give(&buf, &mtx)
			mtx.Lock() // waits for the last flush
			mtx.Unlock()
			time.Sleep(100 * time.Millisecond)
			if r := reports(); len(r) != 0 {
				t.Fatalf("reports = %v, want none", kinds(r))
			}
		})
	}
}

// lockUnder takes m under x and returns holding m only: its hold escapes.
//
//go:noinline
func lockUnder(x, m *detect.Mutex) {
	x.Lock()
	m.Lock()
	x.Unlock()
}

// The twin: an inversion through an escaped hold that the goroutine then
// unlocks itself is reported, from that unlock.
func TestEscapedHoldInversionReportedAtUnlock(t *testing.T) {
	reports := start(t)
	var x, m, b detect.Mutex
	lockBA(&m, &b) // b → m
	lockUnder(&x, &m)
	lockUnlock(&b) // m → b, while m's hold has escaped
	if r := reports(); len(r) != 0 {
		t.Fatalf("reports before m's unlock = %v, want none (m may be unlocked by another goroutine)", kinds(r))
	}
	m.Unlock()
	r := onlyKind(t, reports(), detect.KindLockOrderCycle)
	var got []string
	for _, e := range r.Edges {
		got = append(got, e.FromStack.Top().Function[strings.LastIndexByte(e.FromStack.Top().Function, '.')+1:]+
			"->"+e.ToStack.Top().Function[strings.LastIndexByte(e.ToStack.Top().Function, '.')+1:])
	}
	slices.Sort(got)
	if want := []string{"lockBA->lockBA", "lockUnder->lockUnlock"}; !slices.Equal(got, want) {
		t.Errorf("edges (where the held lock was taken -> where the next one was) = %v, want %v", got, want)
	}
}

// Its fixed twin: the same escaped hold and unlock, with the locks taken in
// one order only, reports nothing.
func TestEscapedHoldConsistentOrderIsSilent(t *testing.T) {
	reports := start(t)
	var x, m, b detect.Mutex
	lockAB(&m, &b) // m → b
	lockUnder(&x, &m)
	lockUnlock(&b) // m → b again, while m's hold has escaped
	m.Unlock()
	if r := reports(); len(r) != 0 {
		t.Fatalf("reports = %v, want none", kinds(r))
	}
}

// relockAfterEscape locks m again after its hold escaped: nobody else will
// unlock it.
//
//go:noinline
func relockAfterEscape(x, m *detect.Mutex) {
	lockUnder(x, m)
	m.Lock()
}

// The other twin: a double lock of an escaped hold is still a deadlock,
// confirmed by the watchdog instead of reported at once.
func TestEscapedHoldRelockIsDeadlock(t *testing.T) {
	reports := start(t, detect.WithTimeout(time.Hour))
	var x, m detect.Mutex
	done := make(chan bool)
	go func() {
		relockAfterEscape(&x, &m)
		done <- true
	}()
	r := waitFor(t, reports, detect.KindDeadlock)
	if len(r.Goroutines) != 1 || !names(r.Goroutines[0].WaitStack, "relockAfterEscape") || len(r.Goroutines[0].Holds) != 1 {
		t.Errorf("goroutines = %+v, want the one waiting in relockAfterEscape for the lock it holds", r.Goroutines)
	}
	m.Unlock()
	<-done
	m.Unlock()
}
