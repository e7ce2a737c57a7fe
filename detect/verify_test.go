//go:build !gridlock_off

package detect_test

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gridlock-go/gridlock/chanwatch"
	"github.com/gridlock-go/gridlock/detect"
)

// fakeT records what VerifyNone reports.
type fakeT struct {
	name     string
	errs     []string
	cleanups []func()
}

func (f *fakeT) Helper()                        {}
func (f *fakeT) Name() string                   { return f.name }
func (f *fakeT) Errorf(format string, a ...any) { f.errs = append(f.errs, fmt.Sprintf(format, a...)) }
func (f *fakeT) Cleanup(fn func())              { f.cleanups = append(f.cleanups, fn) }
func (f *fakeT) runCleanups() {
	for _, fn := range f.cleanups {
		fn()
	}
}

// plainT has no Cleanup: VerifyNone then verifies at once.
type plainT struct{ fakeT }

func (p *plainT) Cleanup() {} // not the Cleanup(func()) signature

//go:noinline
func blockOn(m *detect.Mutex) { m.Lock() }

func TestVerifyNoneLeakedWait(t *testing.T) {
	start(t, detect.WithTimeout(time.Hour))
	ft := &fakeT{name: "TestLeaky"}
	detect.VerifyNone(ft)
	var m detect.Mutex
	m.Lock()
	go blockOn(&m)
	awaitBlocked(t, "detect_test.blockOn", "sync.Mutex.Lock")
	ft.runCleanups()
	m.Unlock()
	if len(ft.errs) != 1 || !strings.Contains(ft.errs[0], "gridlock: leaked-wait") || !strings.Contains(ft.errs[0], "blockOn") {
		t.Fatalf("VerifyNone errors = %q, want one leaked-wait naming blockOn", ft.errs)
	}
}

func TestVerifyNoneIgnoreTopFunction(t *testing.T) {
	start(t, detect.WithTimeout(time.Hour))
	ft := &plainT{fakeT{name: "TestIgnored"}}
	var m detect.Mutex
	m.Lock()
	go blockOn(&m)
	awaitBlocked(t, "detect_test.blockOn", "sync.Mutex.Lock")
	seen := &plainT{fakeT{name: "TestIgnored"}}
	detect.VerifyNone(seen) // the wait is there to be ignored
	detect.VerifyNone(ft, detect.IgnoreTopFunction("github.com/gridlock-go/gridlock/detect_test.blockOn"))
	m.Unlock()
	if len(seen.errs) != 1 {
		t.Fatalf("VerifyNone without the option: errors = %q, want the leaked wait", seen.errs)
	}
	if len(ft.errs) != 0 {
		t.Fatalf("VerifyNone errors = %q, want none (ignored)", ft.errs)
	}
}

func TestVerifyNoneClean(t *testing.T) {
	start(t)
	ft := &fakeT{name: "TestClean"}
	detect.VerifyNone(ft)
	var m detect.Mutex
	done := make(chan bool)
	go func() { m.Lock(); time.Sleep(5 * time.Millisecond); m.Unlock(); done <- true }()
	m.Lock()
	m.Unlock()
	<-done
	ft.runCleanups()
	if len(ft.errs) != 0 {
		t.Fatalf("VerifyNone errors = %q, want none", ft.errs)
	}
}

func TestVerifyNoneReportDuringTest(t *testing.T) {
	start(t)
	ft := &fakeT{name: "TestInverted"}
	detect.VerifyNone(ft)
	var a, b detect.Mutex
	lockAB(&a, &b)
	lockBA(&a, &b)
	ft.runCleanups()
	if len(ft.errs) != 1 || !strings.Contains(ft.errs[0], "gridlock: lock-order-cycle") {
		t.Fatalf("VerifyNone errors = %q, want the lock-order cycle", ft.errs)
	}
}

// TestReportNamesTest checks that a report made in a goroutine started by a
// test names that test.
func TestReportNamesTest(t *testing.T) {
	reports := start(t)
	var a, b detect.Mutex
	done := make(chan bool)
	go func() { lockAB(&a, &b); lockBA(&a, &b); done <- true }()
	<-done
	r := onlyKind(t, reports(), detect.KindLockOrderCycle)
	if r.Test != "TestReportNamesTest" {
		t.Errorf("Test = %q, want TestReportNamesTest", r.Test)
	}
}

func TestBadGridlockValue(t *testing.T) {
	if os.Getenv(childEnv) == t.Name() {
		fmt.Println("enabled:", detect.Enabled())
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"="+t.Name(), "GRIDLOCK=on,timeout=soon,log=xml,action=log")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child failed: %v\n%s", err, out)
	}
	s := string(out)
	for _, want := range []string{`"timeout=soon"`, `"log=xml"`, "valid settings:", "timeout=<duration>", "enabled: true"} {
		if !strings.Contains(s, want) {
			t.Errorf("child output lacks %q:\n%s", want, s)
		}
	}
	if n := strings.Count(s, "gridlock: bad GRIDLOCK"); n != 1 {
		t.Errorf("child printed the error %d times, want once:\n%s", n, s)
	}
}

// TestNoGoroutineWhenIdle: between reports and waits gridlock runs no
// goroutine of its own, so goleak and goroutine dumps stay clean.
func TestNoGoroutineWhenIdle(t *testing.T) {
	reports := start(t, detect.WithTimeout(time.Hour))
	var a, b, m detect.Mutex
	lockAB(&a, &b)
	lockBA(&a, &b) // a report: the sink runs
	m.Lock()
	done := make(chan bool)
	go func() { m.Lock(); m.Unlock(); done <- true }() // a wait: the watchdog runs
	time.Sleep(50 * time.Millisecond)
	m.Unlock()
	<-done
	if len(reports()) != 1 {
		t.Fatalf("reports = %v, want the lock-order cycle", kinds(reports()))
	}
	var dump string
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		buf := make([]byte, 1<<20)
		dump = string(buf[:runtime.Stack(buf, true)])
		if !strings.Contains(dump, "gridlock/internal/core.") {
			return
		}
	}
	t.Fatalf("a gridlock goroutine is still running when idle:\n%s", dump)
}

// funcM is a TestingM whose Run is a function.
type funcM func() int

func (m funcM) Run() int { return m() }

//go:noinline
func blockBeforeTests(m *detect.Mutex) { m.Lock() }

//go:noinline
func blockInTests(m *detect.Mutex) { m.Lock() }

//go:noinline
func lockAgainAndAgain(m *detect.Mutex, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		m.Lock()
		m.Unlock()
	}
}

//go:noinline
func tickBeforeTests(tick <-chan time.Time, stop <-chan struct{}) {
	for {
		w := chanwatch.Block(chanwatch.RecvOp(tick), chanwatch.RecvOp(stop))
		select {
		case <-tick:
			w.Done(0)
		case <-stop:
			w.Done(1)
			return
		}
	}
}

// TestRunTestsLeakedWaits runs RunTests around tests that leave goroutines
// behind: one blocked for good on a lock (a leak), one that waits for a
// lock again and again, each wait short (a live loop: not stuck), and, from
// before the tests, one blocked for good (a leak too, though TestMain made
// it) and one in a ticker's loop (the program's periodic work, like a
// pool's started by package init: not a test's leak).
func TestRunTestsLeakedWaits(t *testing.T) {
	d := startDetector(t, detect.WithTimeout(time.Hour))
	var before, during, churn detect.Mutex
	before.Lock()
	go blockBeforeTests(&before)
	awaitBlocked(t, "detect_test.blockBeforeTests", "sync.Mutex.Lock")
	ticker := time.NewTicker(time.Hour)
	defer ticker.Stop()
	stopTick := make(chan struct{})
	defer close(stopTick)
	go tickBeforeTests(ticker.C, stopTick)
	awaitBlocked(t, "detect_test.tickBeforeTests", "select")
	stop := make(chan struct{})
	code := detect.RunTests(funcM(func() int {
		during.Lock()
		go blockInTests(&during)
		awaitBlocked(t, "detect_test.blockInTests", "sync.Mutex.Lock")
		go lockAgainAndAgain(&churn, stop)
		go func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				churn.Lock()
				time.Sleep(20 * time.Millisecond)
				churn.Unlock()
				time.Sleep(time.Millisecond)
			}
		}()
		return 0
	}))
	close(stop)
	during.Unlock()
	before.Unlock()
	var leaked []string
	for _, r := range d.Reports() {
		if r.Kind != detect.KindLeakedWait {
			t.Errorf("report %s: %s, want only leaked-wait", r.Kind, r.Summary)
			continue
		}
		for _, f := range r.Goroutines[0].Stack {
			if strings.HasPrefix(f.Function, "github.com/gridlock-go/gridlock/detect_test.") {
				leaked = append(leaked, strings.TrimPrefix(f.Function, "github.com/gridlock-go/gridlock/detect_test."))
				break
			}
		}
	}
	slices.Sort(leaked)
	if code != 3 || !slices.Equal(leaked, []string{"blockBeforeTests", "blockInTests"}) {
		t.Errorf("RunTests = %d with leaked waits in %q, want 3 with those in blockBeforeTests and blockInTests", code, leaked)
	}
}

//go:noinline
func blockAfterTests(m *detect.Mutex) {
	time.Sleep(50 * time.Millisecond)
	m.Lock()
}

// TestRunTestsLateLeak: a test leaves a goroutine that blocks for good only
// after the tests have returned: RunTests waits while it still moves, and
// reports it.
func TestRunTestsLateLeak(t *testing.T) {
	d := startDetector(t, detect.WithTimeout(time.Hour))
	var m detect.Mutex
	m.Lock()
	defer m.Unlock()
	code := detect.RunTests(funcM(func() int {
		go blockAfterTests(&m)
		return 0
	}))
	var leaked bool
	for _, r := range d.Reports() {
		for _, f := range r.Goroutines[0].Stack {
			leaked = leaked || r.Kind == detect.KindLeakedWait && strings.HasSuffix(f.Function, ".blockAfterTests")
		}
	}
	if code != 3 || !leaked {
		t.Errorf("RunTests = %d, leaked-wait in blockAfterTests %v; want 3, true", code, leaked)
	}
}

// TestRunTestsLateExitIsSilent is TestRunTestsLateLeak's twin: the goroutine
// the test leaves sleeps, then returns instead of blocking.
func TestRunTestsLateExitIsSilent(t *testing.T) {
	d := startDetector(t, detect.WithTimeout(time.Hour))
	done := make(chan struct{})
	code := detect.RunTests(funcM(func() int {
		go func() {
			defer close(done)
			time.Sleep(50 * time.Millisecond)
		}()
		return 0
	}))
	<-done
	if reps := d.Reports(); code != 0 || len(reps) != 0 {
		t.Errorf("RunTests = %d with %d reports, want 0 with none", code, len(reps))
	}
}
