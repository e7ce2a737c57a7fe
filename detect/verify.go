package detect

import (
	"flag"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/petermattis/goid"

	"github.com/gridlock-go/gridlock/internal/core"
	"github.com/gridlock-go/gridlock/internal/report"
)

// TestingT is the part of *testing.T that VerifyNone uses.
type TestingT interface {
	Helper()
	Name() string
	Errorf(format string, args ...any)
}

// cleanuper is implemented by *testing.T and *testing.B.
type cleanuper interface{ Cleanup(func()) }

// TestingM is the part of *testing.M that VerifyTestMain uses.
type TestingM interface {
	Run() int
}

// InTest records that the calling goroutine runs the test t, so that
// reports about goroutines it starts name t even once it has returned (a
// goroutine left blocked, found at the end of the test binary after the
// test's own goroutine exited). gridlock test inserts it at the start of
// every test function and of every function literal passed to t.Run. It
// does nothing when gridlock is off.
func InTest(t interface{ Name() string }) {
	if core.Active() == nil || t == nil {
		return
	}
	if v := reflect.ValueOf(t); v.Kind() == reflect.Pointer && v.IsNil() {
		return // a nil *testing.T: a harness's own Run passed no test
	}
	core.NoteTest(goid.Get(), t.Name())
}

// graceTotal is how long verification waits for blocked goroutines to move
// on before it calls them leaked, as goleak retries.
const graceTotal = 500 * time.Millisecond

// minLeakAge is how long a wait must have lasted to be called leaked: a
// goroutine that waits again and again (a ticker's loop) is never in one
// wait that long, and is not stuck.
const minLeakAge = graceTotal / 2

// VerifyNone fails t if gridlock reported anything during the test, or if a
// goroutine is still blocked in a tracked wait at its end (leaked-wait,
// after a short grace period, in a wait that lasted at least 0.25 s: a
// goroutine that waits again and again, like a ticker's loop, is not
// stuck). Use it either way:
//
//	func TestX(t *testing.T) {
//		detect.VerifyNone(t) // first thing: verifies when the test ends
//		...
//	}
//
//	func TestY(t *testing.T) {
//		defer detect.VerifyNone(t)
//		...
//	}
//
// If no detector is active (GRIDLOCK unset) it starts the default one, so
// the test is checked all the same; the first form then covers the whole
// test.
func VerifyNone(t TestingT, opts ...Option) {
	t.Helper()
	d := ensureActive(opts)
	mark := d.c.ReportCount()
	name := t.Name()
	check := func() {
		t.Helper()
		for _, msg := range d.verify(name, mark, nil, opts) {
			t.Errorf("%s", msg)
		}
	}
	if c, ok := t.(cleanuper); ok {
		c.Cleanup(check)
		return
	}
	check()
}

// ensureActive returns the active detector, starting the default one (with
// opts) if none is.
func ensureActive(opts []Option) *Detector {
	activeMu.Lock()
	defer activeMu.Unlock()
	if Enabled() {
		return current()
	}
	d := Default()
	for _, o := range opts {
		o.apply(&d.opts)
	}
	d.Start()
	return d
}

var activeMu sync.Mutex

// verify returns one message per report made since mark or attributed to
// the test named test, and per wait still blocked after the grace period
// (see leakedWaits; old are the goroutines alive before the tests).
func (d *Detector) verify(test string, mark int64, old map[int64]bool, opts []Option) []string {
	o := d.opts
	for _, opt := range opts {
		opt.apply(&o)
	}
	d.c.Flush()
	var msgs []string
	all := d.c.Reports()
	for i := range all {
		r := &all[i]
		if r.Kind == report.Dropped || r.Kind == report.LeakedWait {
			continue // leaked waits are looked for below, now
		}
		top := test
		if j := strings.IndexByte(top, '/'); j >= 0 {
			top = top[:j]
		}
		// A subtest's report names it TestX/sub (InTest) or, from its
		// stack, TestX.funcN: either is TestX's.
		if (test != "" && (r.Test == test || r.Test == top || strings.HasPrefix(r.Test, top+".") || strings.HasPrefix(r.Test, top+"/"))) || int64(i) >= mark {
			msgs = append(msgs, report.Text(r))
		}
	}
	for _, r := range d.leakedWaits(o.ignore, old, test) {
		msgs = append(msgs, report.Text(&r))
	}
	d.c.Flush() // the leaked waits are written before the binary exits
	return msgs
}

// leakedWaits waits up to graceTotal for tracked waits to end (and, with
// old, for the goroutines that are not in it to stop moving) and returns
// those still blocked, each in a wait that has lasted minLeakAge (a wait
// younger than that at the end of the grace period is looked at again
// once it could be). The waits on timers of the goroutines in old are left
// out. test, if not empty, is the test the waits are leaks of: the reports
// name it, as written and as returned.
func (d *Detector) leakedWaits(ignore []string, old map[int64]bool, test string) []Report {
	skip := func(s report.Stack) bool {
		for _, f := range s {
			for _, fn := range ignore {
				if f.Function == fn {
					return true
				}
			}
			return false // only the topmost user frame counts
		}
		return false
	}
	deadline := time.Now().Add(graceTotal)
	again := true
	for delay := time.Millisecond; ; delay *= 2 {
		leaks := d.c.LeakedWaits(skip, old)
		// At the end of a test binary, a goroutine the tests left that
		// still moves (sleeps, runs) may block for good a moment later.
		busy := len(leaks) == 0 && old != nil && core.Busy(old)
		if len(leaks) == 0 && old != nil && !busy {
			// Busy's dump came after LeakedWaits: a goroutine that
			// blocked for good in between (it went from a sleep to a
			// Lock) was not in the waits, and is not moving. It published
			// its wait before it parked: look again.
			leaks = d.c.LeakedWaits(skip, old)
		}
		if (len(leaks) > 0 || busy) && !time.Now().After(deadline) {
			time.Sleep(min(delay, time.Until(deadline)+time.Millisecond))
			continue
		}
		var youngest time.Duration = minLeakAge
		for i := range leaks {
			youngest = min(youngest, leaks[i].Wait)
		}
		if youngest < minLeakAge && again {
			again = false
			time.Sleep(minLeakAge - youngest)
			continue
		}
		leaks = slices.DeleteFunc(leaks, func(r Report) bool { return r.Wait < minLeakAge })
		for i := range leaks {
			if test != "" {
				leaks[i].Test = test
			}
			d.c.Submit(leaks[i])
		}
		return leaks
	}
}

// VerifyTestMain runs the tests of m with gridlock active (starting the
// default detector if GRIDLOCK did not) and exits: with m's code, or 3 when
// gridlock reported anything or a tracked wait was still blocked at the end
// (but for the periodic work of the program: a goroutine alive before
// m.Run, started by package init or TestMain, waiting on a timer).
//
//	func TestMain(m *testing.M) {
//		detect.VerifyTestMain(m)
//	}
//
// Shortly before the test binary's -test.timeout expires, it reports every
// wait still blocked and what holds it, so that a hanging test gets a
// diagnosis, not only the timeout's goroutine dump.
func VerifyTestMain(m TestingM, opts ...Option) {
	os.Exit(runTests(m, testPackage(2), opts))
}

// RunTests is VerifyTestMain without the exit: it runs m.Run with gridlock
// active, verifies, and returns the exit code (m's, or 3 when gridlock
// reported anything). Use it from a TestMain that does more after m.Run.
func RunTests(m TestingM, opts ...Option) int {
	return runTests(m, testPackage(2), opts)
}

func runTests(m TestingM, pkg string, opts []Option) int {
	d := ensureActive(opts)
	if pkg != "" {
		d.c.SetPackage(pkg)
	}
	if !flag.Parsed() {
		flag.Parse()
	}
	stop := d.watchTestTimeout()
	// Goroutines made before the tests (package init, TestMain) waiting on
	// a timer (a pool's ticker loop) are the program's, not leaks of a test.
	old := core.Goroutines()
	code := m.Run()
	stop()
	msgs := d.verify("", 0, old, opts)
	if len(msgs) == 0 {
		return code
	}
	// The reports were logged as they were made (or written to the report
	// file with log=off); only the leaked waits found now are new.
	// The distinct reports, as printed; with their repeats as the
	// report files (and gridlock test's summary) count them.
	total := 0
	for _, r := range d.c.Reports() {
		if r.Kind != report.Dropped {
			total += r.Count
		}
	}
	if total > len(msgs) {
		fmt.Fprintf(os.Stderr, "gridlock: %d report(s) in this test binary (%d with repeats)\n", len(msgs), total)
	} else {
		fmt.Fprintf(os.Stderr, "gridlock: %d report(s) in this test binary\n", len(msgs))
	}
	if code == 0 {
		code = 3
	}
	return code
}

// watchTestTimeout reports the blocked waits shortly before -test.timeout
// kills the binary.
func (d *Detector) watchTestTimeout() (stop func()) {
	f := flag.Lookup("test.timeout")
	if f == nil {
		return func() {}
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return func() {}
	}
	timeout, ok := g.Get().(time.Duration)
	if !ok || timeout <= 0 {
		return func() {}
	}
	margin := min(max(timeout/20, 2*time.Second), timeout/2)
	// Two looks: the waits blocked at timeout-margin that are still the
	// same waits at timeout-margin/4 are reported. A binary that ends in
	// time, close to its timeout, has waits in progress at any moment:
	// reporting those of one look made false leaked-waits (gnet's root
	// package runs 355 s of its 6 minutes).
	gap := margin - margin/4
	var mu sync.Mutex
	var stopped bool
	var second *time.Timer
	first := time.AfterFunc(timeout-margin, func() {
		before := d.c.LeakedWaits(nil, nil)
		mu.Lock()
		defer mu.Unlock()
		if stopped {
			return
		}
		second = time.AfterFunc(gap, func() {
			leaks := slices.DeleteFunc(d.c.LeakedWaits(nil, nil), func(r Report) bool {
				return !slices.ContainsFunc(before, func(b Report) bool { return sameWait(b, r, gap) })
			})
			fmt.Fprintf(os.Stderr, "gridlock: the test binary's -test.timeout (%s) is about to expire; blocked waits now:\n", timeout)
			for i := range leaks {
				leaks[i].Summary = "at test timeout: " + leaks[i].Summary
				d.c.Submit(leaks[i])
			}
			if len(leaks) == 0 {
				fmt.Fprintln(os.Stderr, "gridlock: no tracked wait is blocked")
			}
			d.c.Flush()
		})
	})
	return func() {
		first.Stop()
		mu.Lock()
		stopped = true
		if second != nil {
			second.Stop()
		}
		mu.Unlock()
	}
}

// sameWait reports whether b and r, leaked-wait reports of two looks gap
// apart, are of one wait: the same goroutine waiting for the same thing,
// for gap longer at the second look (the goroutine has not been elsewhere
// in between).
func sameWait(b, r Report, gap time.Duration) bool {
	if len(b.Goroutines) == 0 || len(r.Goroutines) == 0 {
		return false
	}
	x, y := b.Goroutines[0], r.Goroutines[0]
	return x.ID == y.ID && x.WaitsFor == y.WaitsFor && y.Waited-x.Waited >= gap*9/10
}

// testPackage returns the import path of the package of the function skip
// frames up (the TestMain that called VerifyTestMain or RunTests), without
// the _test suffix of an external test package; "" if it cannot tell.
func testPackage(skip int) string {
	pc, _, _, ok := runtime.Caller(skip)
	if !ok {
		return ""
	}
	f := runtime.FuncForPC(pc)
	if f == nil {
		return ""
	}
	return strings.TrimSuffix(funcPackage(f.Name()), "_test")
}

// funcPackage returns the package path of a function's full name, such as
// example.com/a/b.TestMain or example.com/a/b.(*T).m.func1. The runtime
// escapes the dots of the last path element (gopkg.in/yaml%2ev3).
func funcPackage(name string) string {
	slash := strings.LastIndexByte(name, '/')
	if dot := strings.IndexByte(name[slash+1:], '.'); dot >= 0 {
		return strings.ReplaceAll(name[:slash+1+dot], "%2e", ".")
	}
	return ""
}
