//go:build !gridlock_off

package detect_test

import (
	"bytes"
	"flag"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gridlock-go/gridlock/detect"
)

// Self-protection: whatever the report sink does (block forever, panic,
// lock detect mutexes itself), the program's Locks go on. The bounds below
// (30s, 60s) only turn a hang into a failure; nothing is timed.

// reportQueue is the capacity of the sink's bounded queue (core.queueSize).
const reportQueue = 256

// hangBound is how long a test waits for something that must not hang.
const hangBound = 60 * time.Second

// invertPair locks a then b, then b then a: one new lock-order cycle, from
// the same call sites every time (so every such report has the same cause).
func invertPair(a, b *detect.Mutex) {
	a.Lock()
	b.Lock()
	b.Unlock()
	a.Unlock()
	b.Lock()
	a.Lock()
	a.Unlock()
	b.Unlock()
}

// waitOrFail waits for done, failing the test if it has not happened within
// hangBound.
func waitOrFail(t *testing.T, done <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-done:
	case <-time.After(hangBound):
		t.Fatalf("%s did not finish within %v: blocked behind the report sink", what, hangBound)
	}
}

// TestStuckReportFuncDoesNotBlockLocks: a ReportFunc that blocks forever
// stops the sink at the first report. Hundreds of goroutines keep locking,
// making hundreds of lock-order cycles among them: every Lock must
// complete, the reports that do not fit in the bounded queue are counted in
// Stats().Dropped, and once the sink is released the queued ones are
// written and the loss is reported.
func TestStuckReportFuncDoesNotBlockLocks(t *testing.T) {
	release := make(chan struct{})
	var releaseOnce sync.Once
	unblock := func() { releaseOnce.Do(func() { close(release) }) }
	entered := make(chan struct{})
	var enterOnce sync.Once
	var mu sync.Mutex
	var seen []detect.Kind
	d := detect.New(detect.WithLog(detect.LogOff), detect.WithReportFunc(func(r detect.Report) {
		enterOnce.Do(func() { close(entered) })
		<-release
		mu.Lock()
		seen = append(seen, r.Kind)
		mu.Unlock()
	}))
	stop := d.Start()
	// Flush (and so stop) waits on a stuck sink: release it first.
	defer func() { unblock(); stop(); d.Close() }()

	const goroutines, perG = 100, 6 // 600 cycles, each a distinct lock pair
	const cycles = goroutines * perG
	var shared [4]detect.Mutex // contended, never nested: no edge
	var wg sync.WaitGroup
	start := make(chan struct{})
	for g := range goroutines {
		wg.Go(func() {
			<-start
			for k := range perG {
				invertPair(new(detect.Mutex), new(detect.Mutex))
				s := &shared[(g+k)%len(shared)]
				s.Lock()
				s.Unlock()
			}
		})
	}
	close(start)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	waitOrFail(t, done, fmt.Sprintf("%d goroutines making %d lock-order cycles", goroutines, cycles))
	waitOrFail(t, entered, "the sink's first report")

	st := d.Stats()
	// The sink holds one report (in the ReportFunc) and the queue the next
	// 256: the rest were dropped. Which of the two was first, the sink's
	// take or the queue filling up, decides between N-257 and N-256.
	if st.Dropped != cycles-reportQueue-1 && st.Dropped != cycles-reportQueue {
		t.Errorf("Stats().Dropped = %d with the sink stuck after %d reports, want %d or %d (the queue holds %d)",
			st.Dropped, cycles, cycles-reportQueue-1, cycles-reportQueue, reportQueue)
	}

	unblock()
	reps := d.Reports()
	var cycle, dropped *detect.Report
	for i := range reps {
		switch reps[i].Kind {
		case detect.KindLockOrderCycle:
			if cycle != nil {
				t.Errorf("two lock-order-cycle reports; all %d cycles have the same call sites", cycles)
			}
			cycle = &reps[i]
		case detect.KindDropped:
			dropped = &reps[i]
		default:
			t.Errorf("unexpected %s report: %s", reps[i].Kind, reps[i].Summary)
		}
	}
	switch {
	case cycle == nil:
		t.Fatalf("reports = %v, want the lock-order-cycle", kinds(reps))
	case int64(cycle.Count)+st.Dropped != cycles:
		t.Errorf("lock-order-cycle count %d + dropped %d = %d, want %d (every cycle reported or counted as dropped)",
			cycle.Count, st.Dropped, int64(cycle.Count)+st.Dropped, cycles)
	}
	if dropped == nil {
		t.Errorf("reports = %v, want a %s report", kinds(reps), detect.KindDropped)
	} else if want := fmt.Sprintf("(%d in all)", st.Dropped); !strings.Contains(dropped.Summary, want) {
		t.Errorf("%s summary = %q, want it to contain %q", detect.KindDropped, dropped.Summary, want)
	}
	mu.Lock()
	t.Logf("%d cycles: %d went through the sink, %d dropped; ReportFunc saw %v", cycles, cycle.Count, st.Dropped, seen)
	mu.Unlock()
}

var flushStuck = flag.Bool("flushstuck", false, "run TestFlushWithStuckReportFunc (10s)")

// TestFlushWithStuckReportFunc: Flush (and the stop function of Start, and
// Reports, which flush) must return when the sink is stuck and the queue is
// full, as it does when the queue has room (it gives up after 10s). Before
// 181415d the marker was enqueued with no timeout and Flush hung for good.
func TestFlushWithStuckReportFunc(t *testing.T) {
	if !*flushStuck {
		t.Skip("takes 10s (Flush's own bound); run with -flushstuck")
	}
	release := make(chan struct{})
	d := detect.New(detect.WithLog(detect.LogOff), detect.WithReportFunc(func(detect.Report) { <-release }))
	stop := d.Start()
	for range reportQueue + 10 {
		invertPair(new(detect.Mutex), new(detect.Mutex))
	}
	done := make(chan struct{})
	go func() { d.Flush(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second): // Flush's own bound is 10s
		t.Errorf("Flush with a stuck ReportFunc and a full queue did not return within 30s")
	}
	close(release) // before stop, which flushes again
	stop()
	d.Close()
}

// syncBuffer is a bytes.Buffer safe for the sink goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestPanickingReportFunc: a ReportFunc that panics on every report takes
// neither the program nor the sink down: the locks go on, every report is
// still kept, and the failure is printed.
func TestPanickingReportFunc(t *testing.T) {
	var out syncBuffer
	var mu sync.Mutex
	calls := 0
	d := detect.New(detect.WithLog(detect.LogOff), detect.WithOutput(&out), detect.WithReportFunc(func(r detect.Report) {
		mu.Lock()
		calls++
		mu.Unlock()
		panic("report func exploded on " + string(r.Kind))
	}))
	stop := d.Start()
	defer func() { stop(); d.Close() }()

	done := make(chan struct{})
	go func() {
		defer close(done)
		// Three distinct causes: two call sites of a cycle, and a recursive
		// RLock (reported without blocking: no writer waits).
		a, b := new(detect.Mutex), new(detect.Mutex)
		a.Lock()
		b.Lock()
		b.Unlock()
		a.Unlock()
		b.Lock()
		a.Lock() // cause 1
		a.Unlock()
		b.Unlock()
		d.Flush()
		c, e := new(detect.Mutex), new(detect.Mutex)
		c.Lock()
		e.Lock()
		e.Unlock()
		c.Unlock()
		e.Lock()
		c.Lock() // cause 2
		c.Unlock()
		e.Unlock()
		d.Flush()
		var rw detect.RWMutex
		rw.RLock()
		rw.RLock() // cause 3
		rw.RUnlock()
		rw.RUnlock()
		d.Flush()
		// The sink still works after three panics.
		invertPair(new(detect.Mutex), new(detect.Mutex)) // a fourth cause: invertPair's call sites
	}()
	waitOrFail(t, done, "locking with a panicking ReportFunc")
	reps := d.Reports()
	got := map[detect.Kind]int{}
	for _, r := range reps {
		got[r.Kind]++
	}
	if got[detect.KindLockOrderCycle] != 3 || got[detect.KindRecursiveRLock] != 1 || len(reps) != 4 {
		t.Errorf("reports = %v, want 3 %s and 1 %s", kinds(reps), detect.KindLockOrderCycle, detect.KindRecursiveRLock)
	}
	mu.Lock()
	n := calls
	mu.Unlock()
	if n != 4 {
		t.Errorf("ReportFunc called %d times, want 4 (once per new report, panics notwithstanding)", n)
	}
	msg := out.String()
	if c := strings.Count(msg, "gridlock: writing a report failed: report func exploded on "); c != 4 {
		t.Errorf("output has %d report failure messages, want 4:\n%s", c, msg)
	}
	if !strings.Contains(msg, "exploded on "+string(detect.KindRecursiveRLock)) {
		t.Errorf("output does not name the panic of the %s report:\n%s", detect.KindRecursiveRLock, msg)
	}
}

// TestReentrantReportFunc: the detector holds none of its locks while it
// calls out. A ReportFunc that takes detect mutexes itself, in an inverted
// order (a new lock-order cycle, reported from the sink goroutine while it
// is in the ReportFunc), and reads Stats (the graph's mutex) must neither
// deadlock nor lose that report.
func TestReentrantReportFunc(t *testing.T) {
	var x, y detect.Mutex
	var mu sync.Mutex
	var seen []string
	var d *detect.Detector
	d = detect.New(detect.WithLog(detect.LogOff), detect.WithReportFunc(func(r detect.Report) {
		invertPair(&x, &y) // a cycle the first time, known edges afterwards
		st := d.Stats()
		mu.Lock()
		seen = append(seen, fmt.Sprintf("%s/%d edges", r.Kind, st.Edges))
		mu.Unlock()
	}))
	stop := d.Start()
	defer func() { stop(); d.Close() }()

	done := make(chan struct{})
	go func() {
		defer close(done)
		var a, b detect.Mutex
		a.Lock()
		b.Lock()
		b.Unlock()
		a.Unlock()
		b.Lock()
		a.Lock() // the user's cycle: the sink calls the ReportFunc
		a.Unlock()
		b.Unlock()
		d.Flush() // the ReportFunc has run and made its own report
		d.Flush() // which has been written too
	}()
	waitOrFail(t, done, "a ReportFunc that locks detect mutexes")
	reps := d.Reports()
	var objects []string
	for _, r := range reps {
		if r.Kind != detect.KindLockOrderCycle {
			t.Errorf("unexpected %s report: %s", r.Kind, r.Summary)
			continue
		}
		objects = append(objects, r.Edges[0].From+","+r.Edges[0].To)
	}
	if len(reps) != 2 {
		t.Errorf("reports = %v (%v), want 2 lock-order cycles: the user's and the ReportFunc's own", kinds(reps), objects)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 2 {
		t.Errorf("ReportFunc saw %v, want the user's cycle and its own", seen)
	}
}
