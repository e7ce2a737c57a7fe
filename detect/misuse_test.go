//go:build !gridlock_off

package detect_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/gridlock-go/gridlock/detect"
)

// Misuse that sync answers with a fatal error cannot be recovered, so these
// tests re-run the test binary with one misuse, as sync's own tests do, and
// read the report file the child wrote before it died.

const childEnv = "GRIDLOCK_TEST_CHILD"

// child runs fn when this process is the re-executed child for name.
func child(name string, fn func()) bool {
	if os.Getenv(childEnv) != name {
		return false
	}
	fn()
	return true
}

// runChild re-executes the test binary to run test with GRIDLOCK enabled
// and returns the reports written and the child's output.
func runChild(t *testing.T, test string) ([]detect.Report, string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "reports.jsonl")
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+test, "GRIDLOCK=on,log=text,file="+file)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("child %s exited cleanly, want sync's fatal error; output:\n%s", test, out)
	}
	reps, rerr := detect.ReadReports(file)
	if rerr != nil {
		t.Fatalf("ReadReports(%s) error = %v; child output:\n%s", file, rerr, out)
	}
	return reps, string(out)
}

//go:noinline
func unlockTwice(m *detect.Mutex) {
	m.Lock()
	m.Unlock()
	m.Unlock()
}

//go:noinline
func lockUnlock(m *detect.Mutex) {
	m.Lock()
	m.Unlock()
}

//go:noinline
func lockUnlockAgain(m *detect.Mutex) {
	m.Lock()
	m.Unlock()
}

// TestUnlockOfUnlockedNamesLastUnlock unlocks at one site, then at another,
// then once too often: the report names the last good unlock, not the
// first one the lock ever saw.
func TestUnlockOfUnlockedNamesLastUnlock(t *testing.T) {
	if child(t.Name(), func() {
		var m detect.Mutex
		lockUnlock(&m)
		lockUnlockAgain(&m)
		m.Unlock()
	}) {
		return
	}
	reps, _ := runChild(t, t.Name())
	r := onlyKind(t, reps, detect.KindUnlockOfUnlocked)
	if len(r.Stacks) != 2 || !strings.HasPrefix(r.Stacks[1].Label, "previous unlock") {
		t.Fatalf("stacks = %+v, want the bad unlock and the previous one", r.Stacks)
	}
	if prev := r.Stacks[1].Stack; !names(prev, "lockUnlockAgain") || names(prev, "lockUnlock") {
		t.Errorf("previous unlock at %v, want lockUnlockAgain", prev)
	}
	// Its caller is named too.
	if prev := r.Stacks[1].Stack; !names(prev, "TestUnlockOfUnlockedNamesLastUnlock.func1") {
		t.Errorf("previous unlock at %v, want its caller named", prev)
	}
	// One goroutine unlocked each time: the previous unlock is its own.
	var g int64
	if _, err := fmt.Sscanf(r.Summary[strings.Index(r.Summary, "by goroutine "):], "by goroutine %d", &g); err != nil {
		t.Fatalf("summary %q names no goroutine: %v", r.Summary, err)
	}
	if want := fmt.Sprintf("previous unlock (goroutine %d)", g); r.Stacks[1].Label != want {
		t.Errorf("label = %q, want %q", r.Stacks[1].Label, want)
	}
}

func TestUnlockOfUnlocked(t *testing.T) {
	if child(t.Name(), func() { var m detect.Mutex; unlockTwice(&m) }) {
		return
	}
	reps, out := runChild(t, t.Name())
	r := onlyKind(t, reps, detect.KindUnlockOfUnlocked)
	if len(r.Stacks) != 2 || !names(r.Stacks[0].Stack, "unlockTwice") || !names(r.Stacks[1].Stack, "unlockTwice") || !strings.HasPrefix(r.Stacks[1].Label, "previous unlock") {
		t.Fatalf("stacks = %+v, want the bad unlock and the previous one in unlockTwice", r.Stacks)
	}
	// The previous unlock is the first Unlock, the line before the bad one.
	if bad, prev := lineIn(r.Stacks[0].Stack, "unlockTwice"), lineIn(r.Stacks[1].Stack, "unlockTwice"); prev != bad-1 {
		t.Errorf("previous unlock at line %d, bad unlock at line %d, want the line before it", prev, bad)
	}
	if !strings.Contains(out, "gridlock: unlock-of-unlocked") || !strings.Contains(out, "fatal error: sync: unlock of unlocked mutex") {
		t.Errorf("child output lacks the report or sync's fatal error:\n%s", out)
	}
}

// unlockCopy unlocks a copy of a used Mutex (its record is the original's)
// while the goroutine holds the original: the copy is unlocked.
//
//go:noinline
func unlockCopy() {
	var m1 detect.Mutex
	m1.Lock()
	m1.Unlock()
	m2 := copyOf(&m1)
	m1.Lock()
	m2.Unlock()
}

// TestUnlockOfUnlockedCopy: the record a copy carries says the goroutine
// holds the lock (the original, on top of its list); the real lock says
// otherwise, and wins.
func TestUnlockOfUnlockedCopy(t *testing.T) {
	if child(t.Name(), unlockCopy) {
		return
	}
	reps, out := runChild(t, t.Name())
	if len(reps) == 0 || reps[0].Kind != detect.KindUnlockOfUnlocked || !names(reps[0].Stacks[0].Stack, "unlockCopy") {
		t.Errorf("reports = %v, want first an unlock-of-unlocked in unlockCopy", kinds(reps))
	}
	if !strings.Contains(out, "fatal error: sync: unlock of unlocked mutex") {
		t.Errorf("child output lacks sync's fatal error:\n%s", out)
	}
}

// TestUnlockOfUnlockedOff: with gridlock off, an unlock of an unlocked
// Mutex is sync's fatal error, with no report.
func TestUnlockOfUnlockedOff(t *testing.T) {
	if child(t.Name(), func() { var m detect.Mutex; unlockTwice(&m) }) {
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+t.Name(), "GRIDLOCK=off")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "fatal error: sync: unlock of unlocked mutex") {
		t.Fatalf("child err = %v, want sync's fatal error; output:\n%s", err, out)
	}
	if strings.Contains(string(out), "gridlock:") {
		t.Errorf("gridlock reported with GRIDLOCK=off:\n%s", out)
	}
}

//go:noinline
func runlockTwice(rw *detect.RWMutex) {
	rw.RLock()
	rw.RUnlock()
	rw.RUnlock()
}

func TestRUnlockOfUnlocked(t *testing.T) {
	if child(t.Name(), func() { var rw detect.RWMutex; runlockTwice(&rw) }) {
		return
	}
	reps, out := runChild(t, t.Name())
	r := onlyKind(t, reps, detect.KindUnlockOfUnlocked)
	if !names(r.Stacks[0].Stack, "runlockTwice") || !strings.Contains(r.Summary, "RUnlock") {
		t.Errorf("report = %s, want RUnlock in runlockTwice", r.Summary)
	}
	if !strings.Contains(out, "fatal error: sync: RUnlock of unlocked RWMutex") {
		t.Errorf("child output lacks sync's fatal error:\n%s", out)
	}
}

//go:noinline
func condWaitUnlocked(c *detect.Cond) { c.Wait() }

func TestCondWaitWithoutLock(t *testing.T) {
	if child(t.Name(), func() { var mu detect.Mutex; condWaitUnlocked(detect.NewCond(&mu)) }) {
		return
	}
	reps, _ := runChild(t, t.Name())
	// sync's Cond.Wait then unlocks the unlocked L, which is reported too.
	if got := kinds(reps); len(got) != 2 || got[0] != detect.KindCondWaitUnlocked || got[1] != detect.KindUnlockOfUnlocked {
		t.Fatalf("reports = %v, want [cond-wait-unlocked unlock-of-unlocked]", got)
	}
	r := reps[0]
	if !names(r.Stacks[0].Stack, "condWaitUnlocked") {
		t.Errorf("stacks = %v, want condWaitUnlocked", r.Stacks)
	}
}

//go:noinline
func doneTooOften(wg *detect.WaitGroup) {
	wg.Add(1)
	wg.Done()
	wg.Done()
}

func TestWaitGroupNegative(t *testing.T) {
	if child(t.Name(), func() { var wg detect.WaitGroup; doneTooOften(&wg) }) {
		return
	}
	reps, out := runChild(t, t.Name())
	r := onlyKind(t, reps, detect.KindWaitGroupNeg)
	if len(r.Stacks) < 2 || !names(r.Stacks[0].Stack, "doneTooOften") || !names(r.Stacks[1].Stack, "doneTooOften") {
		t.Errorf("stacks = %+v, want the Done that went below zero and the one before", r.Stacks)
	}
	if !strings.Contains(out, "negative WaitGroup counter") {
		t.Errorf("child output lacks sync's panic:\n%s", out)
	}
}

//go:noinline
func useCopy(m *detect.Mutex) {
	m.Lock()
	m.Unlock()
}

// copyOf copies a Mutex the way a value copy would, behind go vet's back
// (the copy is the point of the test).
func copyOf(m *detect.Mutex) *detect.Mutex {
	c := new(detect.Mutex)
	*(*[unsafe.Sizeof(*m)]byte)(unsafe.Pointer(c)) = *(*[unsafe.Sizeof(*m)]byte)(unsafe.Pointer(m))
	return c
}

func TestCopiedLock(t *testing.T) {
	reports := start(t)
	var m detect.Mutex
	m.Lock()
	m.Unlock()
	useCopy(copyOf(&m))
	r := onlyKind(t, reports(), detect.KindCopiedLock)
	if !names(r.Stacks[0].Stack, "useCopy") || !names(r.Stacks[1].Stack, "TestCopiedLock") {
		t.Errorf("stacks = %+v, want the copy's use in useCopy and the first use in TestCopiedLock", r.Stacks)
	}
	if r.Test != "TestCopiedLock" {
		t.Errorf("Test = %q, want TestCopiedLock", r.Test)
	}
}

func TestUncopiedLockIsSilent(t *testing.T) {
	reports := start(t)
	var m detect.Mutex
	for i := 0; i < 3; i++ {
		m.Lock()
		m.Unlock()
	}
	if r := reports(); len(r) != 0 {
		t.Fatalf("reports = %v, want none", kinds(r))
	}
}

// TestTimeoutDiagnosis runs a child test binary whose test hangs on a lock,
// with a short -test.timeout: before the testing package's panic, gridlock
// must report the blocked wait and who holds the lock.
func TestTimeoutDiagnosis(t *testing.T) {
	s, inChild, _ := runTimeoutChild(t, hangingM{})
	if inChild {
		return
	}
	for _, want := range []string{"-test.timeout (4s) is about to expire", "gridlock: leaked-wait: at test timeout", "holdForever", "waitsOnHeld"} {
		if !strings.Contains(s, want) {
			t.Errorf("child output lacks %q:\n%s", want, s)
		}
	}
}

// TestTimeoutDiagnosisNearTimeout is TestTimeoutDiagnosis's twin: a child
// binary that ends in time, with a wait in progress when the timeout is
// 2 s away (its first look), reports nothing at test timeout: only a wait
// still the same at the second look, 0.5 s before the timeout, is.
func TestTimeoutDiagnosisNearTimeout(t *testing.T) {
	s, inChild, err := runTimeoutChild(t, nearTimeoutM{})
	if inChild {
		return
	}
	if err != nil || strings.Contains(s, "at test timeout") || strings.Contains(s, "about to expire") {
		t.Errorf("child: err %v, output:\n%s\nwant it to pass with no report at test timeout", err, s)
	}
}

// runTimeoutChild re-executes the test binary to run t's test with
// -test.timeout=4s and GRIDLOCK unset, and returns the child's output and
// exit error; in the child itself, it runs m under VerifyTestMain (which
// exits) and returns inChild.
func runTimeoutChild(t *testing.T, m detect.TestingM) (out string, inChild bool, err error) {
	if child(t.Name(), func() { detect.VerifyTestMain(m) }) {
		return "", true, nil
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.timeout=4s")
	cmd.Env = append(os.Environ(), childEnv+"="+t.Name(), "GRIDLOCK=")
	b, err := cmd.CombinedOutput()
	return string(b), false, err
}

// nearTimeoutM is a TestingM whose Run waits on a WaitGroup from 1.5 s to
// 2.5 s, and ends at 2.5 s.
type nearTimeoutM struct{}

func (nearTimeoutM) Run() int {
	time.Sleep(1500 * time.Millisecond)
	var wg detect.WaitGroup
	wg.Go(func() { time.Sleep(time.Second) })
	wg.Wait()
	return 0
}

// hangingM is a TestingM whose Run hangs on a lock another goroutine holds.
type hangingM struct{}

func (hangingM) Run() int {
	var m detect.Mutex
	held := make(chan bool)
	go holdForever(&m, held)
	<-held
	waitsOnHeld(&m)
	return 0
}

//go:noinline
func holdForever(m *detect.Mutex, held chan<- bool) {
	m.Lock()
	held <- true
	select {}
}

//go:noinline
func waitsOnHeld(m *detect.Mutex) { m.Lock() }

//go:noinline
func reuseBeforeWaitReturns(wg *detect.WaitGroup) {
	wg.Add(1)
	waiting := make(chan bool)
	go func() { waiting <- true; wg.Wait() }()
	<-waiting
	// The waiter is in Wait once it is parked there (a sleep does not make
	// sure of it on a loaded machine: Done then Add would find no waiter,
	// and nothing would be reported).
	for deadline := time.Now().Add(10 * time.Second); !blockedIn("reuseBeforeWaitReturns.func1", "sync.WaitGroup.Wait") && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	wg.Done() // wakes it...
	wg.Add(1) // ...but a new round starts before its Wait returned
	wg.Done()
	time.Sleep(20 * time.Millisecond)
}

//go:noinline
func reuseAfterWaitReturned(wg *detect.WaitGroup) {
	for round := 0; round < 3; round++ {
		wg.Add(1)
		go wg.Done()
		wg.Wait()
	}
}

func TestWaitGroupReuse(t *testing.T) {
	if child(t.Name(), func() { var wg detect.WaitGroup; reuseBeforeWaitReturns(&wg) }) {
		return
	}
	file := filepath.Join(t.TempDir(), "reports.jsonl")
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1")
	// One P: the Done makes the waiter runnable and the Add runs before it
	// can return from Wait (with two, it sometimes returned first: no
	// reuse, no report).
	cmd.Env = append(os.Environ(), childEnv+"="+t.Name(), "GRIDLOCK=on,log=text,file="+file, "GOMAXPROCS=1")
	out, _ := cmd.CombinedOutput() // sync may panic in the waiter, or not
	reps, err := detect.ReadReports(file)
	if err != nil {
		t.Fatalf("ReadReports: %v\n%s", err, out)
	}
	r := onlyKind(t, reps, detect.KindWaitGroupReuse)
	if !names(r.Stacks[0].Stack, "reuseBeforeWaitReturns") {
		t.Errorf("stacks = %+v, want the Add in reuseBeforeWaitReturns", r.Stacks)
	}
	if len(r.Goroutines) != 1 || r.Goroutines[0].ID == 0 {
		t.Errorf("goroutines = %+v, want the goroutine that called Add", r.Goroutines)
	}
}

func TestWaitGroupReusedAfterWaitIsSilent(t *testing.T) {
	reports := start(t)
	var wg detect.WaitGroup
	reuseAfterWaitReturned(&wg)
	if r := reports(); len(r) != 0 {
		t.Fatalf("reports = %v, want none", kinds(r))
	}
}

// lineIn returns the line of the first frame of s in a function whose name
// ends with fn, or 0.
func lineIn(s detect.Stack, fn string) int {
	for _, f := range s {
		if strings.HasSuffix(f.Function, fn) {
			return f.Line
		}
	}
	return 0
}
