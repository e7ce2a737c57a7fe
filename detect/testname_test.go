//go:build !gridlock_off

package detect_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gridlock-go/gridlock/chanwatch"
	"github.com/gridlock-go/gridlock/detect"
)

// spawn runs functions in goroutines that no test started (as an Example's
// or an init's goroutines are).
var spawn = make(chan func())

func init() {
	go func() {
		for f := range spawn {
			go f()
		}
	}()
}

// TestLeakNamesItsOwnTest checks that a leaked wait is not put down to the
// test of a goroutine that only used the channel before (a worker's task
// channel that outlives the test that sent on it): the test is looked for
// in the blocked goroutine and its creators only. Its twin: a goroutine a
// test started is put down to that test.
func TestLeakNamesItsOwnTest(t *testing.T) {
	tests := []struct {
		name     string
		fromTest bool
		want     string
	}{
		{"started by no test", false, ""},
		{"started by the test", true, "TestLeakNamesItsOwnTest.func1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := startDetector(t, detect.WithTimeout(time.Hour))
			ch := make(chan int, 1)
			chanwatch.Send(ch, 1) // this test is a peer of the channel
			chanwatch.Recv(ch)
			wait := func() { chanwatch.Recv(ch) }
			if tt.fromTest {
				go wait()
			} else {
				spawn <- wait
			}
			awaitBlocked(t, "detect_test.TestLeakNamesItsOwnTest.func1.1", "chan receive")
			leaks := d.LeakedWaits()
			chanwatch.Send(ch, 2) // let it go
			if len(leaks) != 1 || leaks[0].Kind != detect.KindLeakedWait {
				t.Fatalf("LeakedWaits() = %v, want one leaked-wait", kinds(leaks))
			}
			if got := leaks[0].Test; got != tt.want {
				t.Errorf("LeakedWaits()[0].Test = %q, want %q", got, tt.want)
			}
		})
	}
}

// named is a test's name, for InTest.
type named string

func (n named) Name() string { return string(n) }

// TestInTestNamesLeakOfExitedTest: a test's goroutine starts a goroutine
// that blocks for good and returns; the leak, found when the tests are
// over, names the test only if the test's goroutine noted it (InTest, which
// gridlock test inserts): its creator is gone from the goroutine dump.
func TestInTestNamesLeakOfExitedTest(t *testing.T) {
	tests := []struct {
		name   string
		inTest bool
		want   string
	}{
		{"InTest", true, "TestPlayed/sub"},
		{"without", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := startDetector(t, detect.WithTimeout(time.Hour))
			var m detect.Mutex
			m.Lock()
			code := detect.RunTests(funcM(func() int {
				ran := make(chan bool)
				go func() { // the test's goroutine
					if tt.inTest {
						detect.InTest(named("TestPlayed/sub"))
					}
					go blockInTests(&m)
					ran <- true
				}()
				<-ran
				awaitBlocked(t, "detect_test.blockInTests", "sync.Mutex.Lock")
				return 0
			}))
			m.Unlock()
			var tests []string
			for _, r := range d.Reports() {
				if r.Kind == detect.KindLeakedWait {
					tests = append(tests, r.Test)
				}
			}
			if code != 3 || !slices.Equal(tests, []string{tt.want}) {
				t.Errorf("RunTests = %d with leaked waits of tests %q, want 3 with one of %q", code, tests, tt.want)
			}
		})
	}
}

// TestVerifyNoneAfterSubtest: a VerifyNone made after a subtest (a
// parent's defer detect.VerifyNone(t)) counts the subtest's reports, named
// TestParent/inner by InTest, as the parent's; another test's VerifyNone
// does not.
func TestVerifyNoneAfterSubtest(t *testing.T) {
	tests := []struct {
		give string // the test that verifies
		want int    // errors
	}{
		{"TestParent", 1},
		{"TestOther", 0},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			startDetector(t)
			done := make(chan bool)
			go func() { // the subtest's goroutine
				detect.InTest(named("TestParent/inner"))
				var a, b detect.Mutex
				lockAB(&a, &b)
				lockBA(&a, &b)
				done <- true
			}()
			<-done
			ft := &plainT{fakeT{name: tt.give}} // verifies at once, after the subtest
			detect.VerifyNone(ft)
			if len(ft.errs) != tt.want || tt.want == 1 && !strings.Contains(ft.errs[0], "gridlock: lock-order-cycle") {
				t.Errorf("VerifyNone(%s) errors = %q, want %d (the lock-order cycle)", tt.give, ft.errs, tt.want)
			}
		})
	}
}

// TestInTestNilT: a harness whose Run passes a nil *testing.T to the
// function gridlock test marked is left alone.
func TestInTestNilT(t *testing.T) {
	startDetector(t)
	var nilT *testing.T
	detect.InTest(nilT) // must not panic
}
