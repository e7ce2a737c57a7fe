//go:build !gridlock_off

package detect_test

// Tests of the report queue and the idle exit, written by a review: each
// failed at f900289.

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridlock-go/gridlock/chanwatch"
	"github.com/gridlock-go/gridlock/detect"
)

// relockReadAt is relockRead at a call site of its own.
//
//go:noinline
func relockReadAt(rw *detect.RWMutex) {
	rw.RLock()
	rw.RLock()
	rw.RUnlock()
	rw.RUnlock()
}

//go:noinline
func relockWorker(rw *detect.RWMutex, done chan bool) {
	relockReadAt(rw)
	done <- true
}

// spawnRelock starts relockWorker from one go statement: the same stacks.
//
//go:noinline
func spawnRelock(rw *detect.RWMutex, done chan bool) { go relockWorker(rw, done) }

// holdFirst returns a report function that holds the sink in its first
// report (it signals inEmit, then waits for release) and passes every
// report to then, if not nil.
func holdFirst(inEmit chan<- bool, release <-chan bool, then func(detect.Report)) func(detect.Report) {
	first := true
	return func(r detect.Report) {
		if first {
			first = false
			inEmit <- true
			<-release
		}
		if then != nil {
			then(r)
		}
	}
}

// A repeat of a cause whose first report has been added to the table but
// not written yet (the sink is in emit: the logger, the files) is treated
// as "written already" by sink.repeat, and action=exit (or panic, or a
// wait=true report followed by a crash) is carried out before the first
// report is written.
func TestRepeatActsOnlyAfterFirstIsWritten(t *testing.T) {
	inEmit, release := make(chan bool), make(chan bool)
	var mu sync.Mutex
	written := false
	var exitsBeforeWritten int
	exit := func(code int) {
		mu.Lock()
		defer mu.Unlock()
		if !written {
			exitsBeforeWritten++
		}
		t.Logf("%s exit(%d) written=%v", time.Now().Format("05.000"), code, written)
	}
	onReport := holdFirst(inEmit, release, func(r detect.Report) {
		t.Logf("%s written %s %s %v %v", time.Now().Format("05.000"), r.Kind, r.ID, r.Goroutines[0].Holds[0].Stack, r.Stacks)
		mu.Lock()
		written = true
		mu.Unlock()
	})
	reports := start(t, detect.WithAction(detect.ActionExit), detect.WithExitFunc(exit), detect.WithReportFunc(onReport))
	var rw1, rw2 detect.RWMutex
	done := make(chan bool)
	spawnRelock(&rw1, done) // waits for its report, then "exits"
	<-inEmit                // the report is in the table, not written
	spawnRelock(&rw2, done) // the same cause (same stacks): acts at once
	// Wait for the second worker to act, or for it to wait for the first
	// report (fixed): either way it has called relockReadAt.
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); {
		mu.Lock()
		n := exitsBeforeWritten
		mu.Unlock()
		if n > 0 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	<-done
	<-done
	mu.Lock()
	defer mu.Unlock()
	if exitsBeforeWritten != 0 {
		t.Errorf("action=exit carried out %d time(s) before the report was written (%d reports)", exitsBeforeWritten, len(reports()))
	}
}

// A first report dropped because the queue was full stays in sink.raw with
// no key: every later occurrence of the same cause is counted as an extra
// of a report that will never be built, and is never reported.
func TestDroppedFirstDoesNotHideRepeats(t *testing.T) {
	inEmit, release := make(chan bool), make(chan bool)
	onReport := holdFirst(inEmit, release, nil)
	reports := start(t, detect.WithReportFunc(onReport))
	// Blocks the sink in its first report.
	var a0, b0 detect.Mutex
	lockChain(&a0, &b0)
	lockChain(&b0, &a0)
	<-inEmit
	// Fill the queue: cycles of distinct locks have distinct raw keys.
	for range 300 {
		var a, b detect.Mutex
		lockChain(&a, &b)
		lockChain(&b, &a)
	}
	var rws [2]detect.RWMutex
	for i := range rws {
		if i == 1 {
			close(release)
			// Wait until the sink has written the queue (the drop is
			// reported): there is room now.
			for deadline := time.Now().Add(10 * time.Second); !has(reports(), detect.KindDropped); {
				if time.Now().After(deadline) {
					t.Fatalf("no reports-dropped report: %v", kinds(reports()))
				}
				time.Sleep(time.Millisecond)
			}
		}
		relockReadAt(&rws[i]) // 0: dropped, the queue is full; 1: later, with room
	}
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline) && !has(reports(), detect.KindRecursiveRLock); {
		time.Sleep(time.Millisecond)
	}
	if !has(reports(), detect.KindRecursiveRLock) {
		t.Errorf("the recursive RLock repeated once the queue had room is never reported: reports %v", kinds(reports()))
	}
}

func has(reps []detect.Report, k detect.Kind) bool {
	for _, r := range reps {
		if r.Kind == k {
			return true
		}
	}
	return false
}

// After a fatal blocked-wait whose wait then ended (the program was
// working, which is what the idle rule is for), sink.idleExit stays set
// for good: any later moment where a tracked wait exists and every
// goroutine is parked (here: a lock waited for a few milliseconds, well
// under the timeout, while its holder waits on a channel) exits the
// program with status 3.
func TestIdleExitEndsWithItsWait(t *testing.T) {
	var mu sync.Mutex
	var exitReports []int // blocked-wait reports at each exit
	exited := make(chan bool, 1)
	var d *detect.Detector
	var blocked atomic.Int32
	exit := func(code int) {
		n := int(blocked.Load())
		t.Logf("%s exit(%d) with %d blocked-wait reports", time.Now().Format("05.000"), code, n)
		mu.Lock()
		exitReports = append(exitReports, n)
		mu.Unlock()
		select {
		case exited <- true:
		default:
		}
	}
	opt, err := detect.WithSettings("fatal=blocked-wait,log=off,timeout=3s")
	if err != nil {
		t.Fatal(err)
	}
	count := func(r detect.Report) {
		if r.Kind == detect.KindBlockedWait {
			blocked.Add(1)
		}
	}
	d = detect.New(opt, detect.WithExitFunc(exit), detect.WithReportFunc(count))
	stop := d.Start()
	defer func() { stop(); d.Close() }()

	// Phase 1: a legitimately long wait while the holder works (sleeps).
	var m detect.Mutex
	m.Lock()
	got := make(chan bool)
	go func() { m.Lock(); m.Unlock(); got <- true }()
	for blocked.Load() == 0 {
		time.Sleep(5 * time.Millisecond) // at work: sleeping counts
	}
	m.Unlock()
	<-got
	mu.Lock()
	if len(exitReports) != 0 {
		t.Fatalf("exit while the holder worked: %v", exitReports)
	}
	mu.Unlock()

	t.Logf("%s phase 2", time.Now().Format("05.000"))
	// Phase 2: a short wait, with everything parked for a moment.
	var m2 detect.Mutex
	gate := make(chan bool)
	held := make(chan bool)
	go func() { m2.Lock(); held <- true; <-gate; m2.Unlock() }()
	<-held
	go func() { m2.Lock(); m2.Unlock() }()
	select {
	case <-exited:
	case <-time.After(2 * time.Second): // under the timeout
	}
	close(gate)
	mu.Lock()
	defer mu.Unlock()
	for _, n := range exitReports {
		if n == 1 {
			t.Errorf("exited with status 3 while the only blocked-wait reported had ended and no wait was past the timeout")
		}
	}
}

// A holder that works on a timer (a ticker, a context deadline, a backoff
// timer) rather than time.Sleep parks in "chan receive" or "select", as a
// hung goroutine does; its receives, tracked as gridlock test rewrites
// them, begin and end waits: the program moves, and fatal=blocked-wait
// must not exit though a wait behind the holder passes the timeout.
// (Timer-paced work in code that is not instrumented looks idle.)
func TestTrackedTimerWorkIsNotIdle(t *testing.T) {
	var mu sync.Mutex
	var codes []int
	exit := func(code int) { mu.Lock(); codes = append(codes, code); mu.Unlock() }
	opt, err := detect.WithSettings("fatal=blocked-wait,log=off,timeout=300ms")
	if err != nil {
		t.Fatal(err)
	}
	d := detect.New(opt, detect.WithExitFunc(exit))
	stop := d.Start()
	defer func() { stop(); d.Close() }()
	var m detect.Mutex
	held, finished := make(chan bool), make(chan bool)
	go func() {
		m.Lock()
		held <- true
		tk := time.NewTicker(10 * time.Millisecond)
		defer tk.Stop()
		for range 250 { // 2.5 s of work paced by a ticker
			chanwatch.Recv(tk.C) // as gridlock test rewrites <-tk.C: a tracked wait
		}
		m.Unlock()
		finished <- true
	}()
	<-held
	go func() { m.Lock(); m.Unlock() }()
	<-finished
	mu.Lock()
	defer mu.Unlock()
	if len(codes) != 0 {
		t.Errorf("exit codes while the holder worked on a ticker = %v, want none", codes)
	}
}
