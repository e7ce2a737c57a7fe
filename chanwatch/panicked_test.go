package chanwatch_test

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/gridlock-go/gridlock/chanwatch"
	"github.com/gridlock-go/gridlock/detect"
)

// A send that panics, its channel closed by a close gridlock does not see
// (a native close: code gridlock did not rewrite), leaves its wait
// published. These tests check that such a wait is never reported, even
// while its goroutine is still in the deferred function that recovers
// (where a goroutine dump still shows the send's frames), and that it does
// not hide the goroutine's other faults (TestPanickedSendUnderLock, in
// mixed_test.go: it needs tracked locks).

// fakeT records what VerifyNone reports.
type fakeT struct{ msgs []string }

func (f *fakeT) Helper()      {}
func (f *fakeT) Name() string { return "fake" }
func (f *fakeT) Errorf(format string, args ...any) {
	f.msgs = append(f.msgs, fmt.Sprintf(format, args...))
}

//go:noinline
func sendAndRecover(c chan int, release chan struct{}, recovered chan any) {
	defer func() {
		r := recover()
		recovered <- r // native: untracked
		<-release      // still recovering, untracked: a backoff, a log write
	}()
	chanwatch.SendRecovered(c, 1) // blocks, then panics: c closed natively
}

// TestPanickedSendInRecoverIsSilent: no blocked-wait while the goroutine
// recovers, no leaked-wait from VerifyNone.
func TestPanickedSendInRecoverIsSilent(t *testing.T) {
	if raceEnabled {
		t.Skip("closes a channel while a send waits on it: a race the race detector reports, on purpose here")
	}
	reports := start(t, detect.WithTimeout(100*time.Millisecond))
	c := make(chan int)
	release := make(chan struct{})
	recovered := make(chan any, 1)
	go sendAndRecover(c, release, recovered)
	awaitBlocked(t, "chanwatch_test.sendAndRecover", "chan send")
	close(c) // native
	if r := <-recovered; r == nil {
		t.Fatal("the send did not panic")
	}
	time.Sleep(600 * time.Millisecond) // six timeouts
	var ft fakeT
	detect.VerifyNone(&ft)
	close(release)
	for _, r := range reports() {
		t.Errorf("report %s: %s, want none", r.Kind, r.Summary)
	}
	for _, m := range ft.msgs {
		t.Errorf("VerifyNone: %.300s", m)
	}
}

// TestPanickedSendIsNotADeadlock: G2 received from c and waits on d; G1's
// next send on c panics, and its recovering function sleeps (untracked)
// before it sends on d. Nothing is stuck for good.
func TestPanickedSendIsNotADeadlock(t *testing.T) {
	if raceEnabled {
		t.Skip("closes a channel while a send waits on it: a race the race detector reports, on purpose here")
	}
	reports := start(t, detect.WithTimeout(10*time.Second))
	c, d := make(chan int), make(chan int)
	g2 := make(chan struct{})
	go func() {
		defer close(g2)
		chanwatch.Recv(c)
		chanwatch.Recv(d)
		chanwatch.Recv(d) // waits for G1's second send on d
	}()
	g1 := make(chan struct{})
	go func() {
		defer close(g1)
		func() {
			defer func() {
				recover()
				time.Sleep(1500 * time.Millisecond) // untracked, finite
			}()
			chanwatch.Send(c, 1)
			chanwatch.Send(d, 1)
			chanwatch.Send(c, 2) // blocks, then panics
		}()
		chanwatch.Send(d, 2)
	}()
	time.Sleep(100 * time.Millisecond)
	close(c) // native
	<-g1
	<-g2
	for _, r := range reports() {
		t.Errorf("report %s: %s, want none", r.Kind, r.Summary)
	}
}

//go:noinline
func trySend(ch chan int, v int) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	chanwatch.SendRecovered(ch, v) // "send unless closed"
	return true
}

// produceUntilClosed sends to a slow consumer, each send blocking, until
// the consumer has closed the channel natively between two sends (the
// last send waits for word of the close: a send that panics must not race
// with the close, for the race detector).
//
//go:noinline
func produceUntilClosed() {
	ch := make(chan int)
	closed := make(chan struct{})
	const n = 21
	go func() {
		for range n {
			time.Sleep(5 * time.Millisecond)
			<-ch
		}
		close(ch)
		close(closed)
	}()
	for i := 0; ; i++ {
		if i == n {
			<-closed
		}
		if !trySend(ch, i) { // one site: the same participant
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// TestRecoveredSendOnClosedThenWorkIsSilent: a producer whose sends
// blocked sends once more after a native close, recovers the panic, drops
// the channel (collected) and goes on sending from the same function to a
// channel that never blocks: its panicked send is no wait to report. (From
// a review: a recovered send began its wait without trying, as its earlier
// sends had blocked, and the wait stayed published on a channel that no
// close of the runtime's showed any more once collected: 12 blocked-wait
// reports in 30 runs.)
func TestRecoveredSendOnClosedThenWorkIsSilent(t *testing.T) {
	reports := start(t)
	produceUntilClosed()
	for range 3 {
		runtime.GC()
	}
	other := make(chan int, 1<<20)
	stop := make(chan struct{})
	var drained sync.WaitGroup
	for range 3 {
		drained.Add(1)
		go func() {
			defer drained.Done()
			for {
				select {
				case <-stop:
					return
				case <-other:
				}
			}
		}()
	}
	for deadline := time.Now().Add(600 * time.Millisecond); time.Now().Before(deadline); {
		for range 1000 {
			trySend(other, 1)
		}
	}
	close(stop)
	drained.Wait()
	quiet(t, reports, 0)
}
