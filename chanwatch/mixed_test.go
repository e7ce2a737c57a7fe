//go:build !gridlock_off

package chanwatch_test

// The mixed lock and channel deadlock needs detect's tracked Mutex, which
// the gridlock_off tag makes sync's own.

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gridlock-go/gridlock/chanwatch"
	"github.com/gridlock-go/gridlock/detect"
	"github.com/petermattis/goid"
)

type store struct {
	mu      detect.Mutex
	updates chan int
	n       int
}

// publish holds the lock while it sends: the bug of the mixed deadlock.
//
//go:noinline
func (s *store) publish(v int, fixed bool) {
	s.mu.Lock()
	s.n = v
	if fixed {
		s.mu.Unlock()
		chanwatch.Send(s.updates, v)
		return
	}
	chanwatch.Send(s.updates, v)
	s.mu.Unlock()
}

//go:noinline
func (s *store) watch(count int) {
	for i := 0; i < count; i++ {
		chanwatch.Recv(s.updates)
		time.Sleep(time.Millisecond) // applying takes a moment: the next publish gets the mutex first
		s.mu.Lock()
		_ = s.n
		s.mu.Unlock()
	}
}

func TestMutexHeldAcrossSend(t *testing.T) {
	reports := start(t, detect.WithTimeout(time.Hour))
	s := &store{updates: make(chan int)}
	go s.watch(10)
	go s.publish(1, false) // the watcher receives, then waits for mu...
	go s.publish(2, false) // ...which this one holds while it sends
	time.Sleep(time.Millisecond)
	began := time.Now()
	r := waitFor(t, reports, detect.KindDeadlock)
	// The timeout is an hour: the report did not wait for it. How soon it
	// came is logged, not asserted (machines are noisy).
	t.Logf("deadlock reported %v after the goroutines blocked", time.Since(began))
	if missing := notWaitingIn(r, "(*store).publish", "(*store).watch"); len(missing) > 0 {
		t.Errorf("goroutines = %+v, want waits in %q too", r.Goroutines, missing)
	}
	if len(r.Notes) == 0 || !strings.Contains(r.Notes[0], "inferred") {
		t.Errorf("notes = %v, want the inference stated", r.Notes)
	}
}

func TestMutexReleasedBeforeSendIsSilent(t *testing.T) {
	reports := start(t)
	s := &store{updates: make(chan int)}
	done := make(chan bool)
	go func() { s.watch(10); close(done) }()
	for i := 0; i < 10; i++ {
		s.publish(i, true)
	}
	<-done
	quiet(t, reports, 250*time.Millisecond)
}

// produce closes out when it returns (a deferred close) and first takes mu.
//
//go:noinline
func produce(out chan int, mu *detect.Mutex, needLock bool) {
	defer chanwatch.DeferClose(out)()
	if needLock {
		mu.Lock()
		mu.Unlock()
	}
}

// consume holds mu while it waits for out to close.
//
//go:noinline
func consume(out chan int, mu *detect.Mutex) {
	mu.Lock()
	chanwatch.Recv2(out)
	mu.Unlock()
}

// TestDeferredCloserIsPeer: the consumer waits, holding mu, for a channel
// nobody has sent on; its producer, which will close it when it returns,
// waits for mu. The deferred close makes the producer a goroutine that
// could end the wait, so the two are a deadlock; without it the wait had
// no known peer and counted as a way out.
func TestDeferredCloserIsPeer(t *testing.T) {
	reports := start(t, detect.WithTimeout(time.Hour))
	var mu detect.Mutex
	out := make(chan int)
	go consume(out, &mu)
	time.Sleep(20 * time.Millisecond) // the consumer holds mu
	go produce(out, &mu, true)
	r := waitFor(t, reports, detect.KindDeadlock)
	if missing := notWaitingIn(r, "chanwatch_test.produce", "chanwatch_test.consume"); len(missing) > 0 {
		t.Errorf("goroutines = %+v, want waits in %q too", r.Goroutines, missing)
	}
}

func TestDeferredCloseRunsIsSilent(t *testing.T) {
	reports := start(t, detect.WithTimeout(time.Hour))
	var mu detect.Mutex
	out := make(chan int)
	done := make(chan bool)
	go func() { consume(out, &mu); done <- true }()
	time.Sleep(20 * time.Millisecond)
	go produce(out, &mu, false)
	<-done
	quiet(t, reports, 1500*time.Millisecond)
}

// sendUnderLock locks mu and sends on c, which is closed natively while
// the send blocks: the send panics and the goroutine recovers, then exits,
// holding mu unless unlock (a deferred Unlock).
//
//go:noinline
func sendUnderLock(mu *detect.Mutex, c chan int, unlock bool, exited chan<- struct{}) {
	defer close(exited)
	defer func() { recover() }()
	mu.Lock()
	if unlock {
		defer mu.Unlock()
	}
	chanwatch.SendRecovered(c, 1) // blocks, then panics
	mu.Unlock()
}

// TestPanickedSendUnderLock: a goroutine holds a lock when its send
// panics; it recovers and exits. Still holding the lock, it is reported
// (leaked-lock) as any exited holder, about a second after another
// goroutine waits for the lock, not only at the wait's timeout. Its twin
// unlocks in a defer: the next Lock takes the lock, and nothing is reported.
func TestPanickedSendUnderLock(t *testing.T) {
	if raceEnabled {
		t.Skip("closes a channel while a send waits on it: a race the race detector reports, on purpose here")
	}
	tests := []struct {
		name   string
		unlock bool
	}{
		{"exits holding the lock", false},
		{"deferred Unlock", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reports := start(t, detect.WithTimeout(time.Hour))
			var mu detect.Mutex
			c, exited := make(chan int), make(chan struct{})
			go sendUnderLock(&mu, c, tt.unlock, exited)
			awaitBlocked(t, "chanwatch_test.sendUnderLock", "chan send")
			close(c) // native
			<-exited
			if tt.unlock {
				locked := make(chan struct{})
				go func() { mu.Lock(); close(locked) }()
				<-locked
				quiet(t, reports, 1500*time.Millisecond)
				return
			}
			go func() { mu.Lock() }() // blocks for good
			for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
				if slices.Contains(kinds(reports()), detect.KindLeakedLock) {
					return
				}
			}
			t.Errorf("reports = %v, want a leaked-lock", kinds(reports()))
		})
	}
}

// tick sends n values on out (forever if n < 0, until nobody receives)
// and closes it when it returns (a deferred close, as backoff's Ticker
// does).
//
//go:noinline
func tick(out chan int, n int) {
	defer chanwatch.DeferClose(out)()
	for i := 0; i != n; i++ {
		chanwatch.Send(out, i)
	}
}

// TestBlockedSendNamesOthersOnly: the blocked sender's report names the
// goroutine that received, not the sender itself, though it will close
// the channel when it returns (a goroutine cannot end a wait it is blocked
// in). From a sweep: backoff's TestTicker read "it waits for
// goroutine(s) 9, 10", 10 being the sender. The fixed sender sends what is
// received, and nothing is reported.
func TestBlockedSendNamesOthersOnly(t *testing.T) {
	tests := []struct {
		name string
		n    int
	}{
		{"forever", -1},
		{"fixed", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reports := start(t)
			out := make(chan int)
			go tick(out, tt.n)
			received := make(chan int64)
			go func() {
				chanwatch.Recv(out)
				received <- goid.Get()
			}()
			receiver := <-received
			if tt.n >= 0 {
				quiet(t, reports, 300*time.Millisecond)
				return
			}
			r := waitFor(t, reports, detect.KindBlockedWait)
			sender := r.Goroutines[0].ID
			_, waitsFor, _ := strings.Cut(r.Summary, "it waits for goroutine(s) ")
			if want := fmt.Sprint(receiver); waitsFor != want || sender == receiver {
				t.Errorf("summary %q (sender %d), want it to name only the receiver, %s", r.Summary, sender, want)
			}
		})
	}
}

// relay sends on back, then n values on out, and closes out when it
// returns.
//
//go:noinline
func relay(out, back chan int, id chan<- int64, n int) {
	id <- goid.Get()
	defer chanwatch.DeferClose(out)()
	chanwatch.Send(back, 0)
	for i := range n {
		chanwatch.Send(out, i)
	}
}

// take receives on back and on out, then waits on back again, where
// nobody sends any more; fixed, it drains out instead.
//
//go:noinline
func take(out, back chan int, fixed bool) {
	chanwatch.Recv(back)
	chanwatch.Recv(out)
	if fixed {
		for range chanwatch.Range(out) {
		}
		return
	}
	chanwatch.Recv(back)
}

// TestDeadlockNamesOthersOnly: a deadlock report says which goroutines
// could end each member's wait; the sender, which will close out when it
// returns, is not among those that could end its own send. (From a
// review: "goroutine 11 waits for send on chan#1 (which only goroutine(s)
// 11, 12 could end)".) The fixed pair ends, and nothing is reported.
func TestDeadlockNamesOthersOnly(t *testing.T) {
	tests := []struct {
		name  string
		fixed bool
	}{
		{"stuck", false},
		{"fixed", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reports := start(t, detect.WithTimeout(time.Hour))
			out, back, id := make(chan int), make(chan int), make(chan int64, 1)
			done := make(chan struct{})
			n := 2 // take receives one: the second send blocks
			if tt.fixed {
				n = 1
			}
			go relay(out, back, id, n)
			go func() { take(out, back, tt.fixed); close(done) }()
			sender := <-id
			if tt.fixed {
				<-done
				quiet(t, reports, 1500*time.Millisecond)
				return
			}
			r := waitFor(t, reports, detect.KindDeadlock)
			_, part, _ := strings.Cut(r.Summary, fmt.Sprintf("goroutine %d waits for send on ", sender))
			part, _, _ = strings.Cut(part, "could end)")
			_, ends, ok := strings.Cut(part, "which only goroutine(s) ")
			if !ok || slices.Contains(strings.Split(strings.TrimSpace(ends), ", "), fmt.Sprint(sender)) {
				t.Errorf("summary %q: the sender's send, want it ended only by other goroutines than %d", r.Summary, sender)
			}
			chanwatch.Send(back, 0) // let both go
			<-done
			chanwatch.Recv(out)
		})
	}
}
