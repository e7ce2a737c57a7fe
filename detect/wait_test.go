//go:build !gridlock_off

package detect_test

import (
	"testing"
	"time"

	"github.com/gridlock-go/gridlock/detect"
)

// waitFor polls reports until one of kind want appears or 5s pass.
func waitFor(t *testing.T, reports func() []detect.Report, want detect.Kind) detect.Report {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		for _, r := range reports() {
			if r.Kind == want {
				return r
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("reports = %v, want a %s", kinds(reports()), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func without(reps []detect.Report, k detect.Kind) []detect.Report {
	var out []detect.Report
	for _, r := range reps {
		if r.Kind != k {
			out = append(out, r)
		}
	}
	return out
}

//go:noinline
func holdThenLock(first, second *detect.Mutex, ready chan<- bool, goAhead <-chan bool) {
	first.Lock()
	ready <- true
	<-goAhead
	second.Lock()
	second.Unlock()
	first.Unlock()
}

func TestDeadlockConfirmed(t *testing.T) {
	reports := start(t, detect.WithTimeout(time.Hour))
	var a, b detect.Mutex
	ready, goAhead := make(chan bool), make(chan bool)
	go holdThenLock(&a, &b, ready, goAhead)
	go holdThenLock(&b, &a, ready, goAhead)
	<-ready
	<-ready
	began := time.Now()
	close(goAhead)
	r := waitFor(t, reports, detect.KindDeadlock)
	// The timeout is an hour: the report did not wait for it. How soon it
	// came is logged, not asserted (machines are noisy).
	t.Logf("deadlock reported %v after the goroutines blocked", time.Since(began))
	if len(r.Goroutines) != 2 {
		t.Fatalf("goroutines = %d, want 2", len(r.Goroutines))
	}
	for _, g := range r.Goroutines {
		if g.WaitsFor == "" || len(g.Holds) != 1 || !names(g.WaitStack, "holdThenLock") || !names(g.Holds[0].Stack, "holdThenLock") || !names(g.Stack, "holdThenLock") {
			t.Errorf("goroutine %d: waits for %q, holds %v, stack %v: want the wait, the held lock and frames of holdThenLock", g.ID, g.WaitsFor, g.Holds, g.Stack)
		}
		if len(g.CreatedBy) == 0 || !names(g.CreatedBy, "TestDeadlockConfirmed") {
			t.Errorf("goroutine %d created by %v, want TestDeadlockConfirmed", g.ID, g.CreatedBy)
		}
	}
	// The lock-order cycle is reported too; the goroutines stay blocked
	// (the test binary ends with them).
}

func TestContentionIsNotDeadlock(t *testing.T) {
	reports := start(t, detect.WithTimeout(time.Hour))
	var a, b detect.Mutex
	done := make(chan bool)
	for i := 0; i < 8; i++ {
		go func() {
			for j := 0; j < 200; j++ {
				lockAB(&a, &b)
				if j%50 == 0 {
					time.Sleep(time.Millisecond)
				}
			}
			done <- true
		}()
	}
	// A long holder makes waits older than the watchdog's grace.
	a.Lock()
	time.Sleep(100 * time.Millisecond)
	a.Unlock()
	for i := 0; i < 8; i++ {
		<-done
	}
	if r := reports(); len(r) != 0 {
		t.Fatalf("reports = %v, want none", kinds(r))
	}
}

//go:noinline
func holdFor(m *detect.Mutex, held chan<- bool, d time.Duration) {
	m.Lock()
	held <- true
	time.Sleep(d)
	m.Unlock()
}

func TestBlockedWait(t *testing.T) {
	reports := start(t, detect.WithTimeout(100*time.Millisecond))
	var m detect.Mutex
	held := make(chan bool)
	go holdFor(&m, held, 400*time.Millisecond)
	<-held
	m.Lock()
	m.Unlock()
	r := waitFor(t, reports, detect.KindBlockedWait)
	if len(r.Goroutines) != 2 {
		t.Fatalf("goroutines = %d, want waiter and holder", len(r.Goroutines))
	}
	holder := r.Goroutines[1]
	if len(holder.Holds) != 1 || !names(holder.Holds[0].Stack, "holdFor") || !names(holder.Stack, "holdFor") {
		t.Errorf("holder: holds %v, stack %v, want holdFor frames", holder.Holds, holder.Stack)
	}
	if !names(r.Goroutines[0].WaitStack, "TestBlockedWait") {
		t.Errorf("waiter wait stack = %v, want TestBlockedWait", r.Goroutines[0].WaitStack)
	}
}

func TestShortWaitIsSilent(t *testing.T) {
	reports := start(t, detect.WithTimeout(300*time.Millisecond))
	var m detect.Mutex
	held := make(chan bool)
	go holdFor(&m, held, 50*time.Millisecond)
	<-held
	m.Lock()
	m.Unlock()
	time.Sleep(50 * time.Millisecond)
	if r := reports(); len(r) != 0 {
		t.Fatalf("reports = %v, want none", kinds(r))
	}
}

//go:noinline
func lockAndPanic(m *detect.Mutex) {
	defer func() { recover() }()
	func() {
		m.Lock()
		panic("boom")
	}()
}

func TestLeakedLock(t *testing.T) {
	reports := start(t, detect.WithTimeout(time.Hour))
	var m detect.Mutex
	done := make(chan bool)
	go func() { lockAndPanic(&m); done <- true }()
	<-done
	go func() { m.Lock() }() // waits forever
	r := waitFor(t, reports, detect.KindLeakedLock)
	if r.Goroutines[0].State != "exited" || !names(r.Goroutines[0].Holds[0].Stack, "lockAndPanic") {
		t.Errorf("holder = %+v, want exited with lockAndPanic", r.Goroutines[0])
	}
	// The report is about all its goroutines: the waiter this test
	// started names it (the holder, exited, is not in the goroutine dump).
	if want := "TestLeakedLock"; r.Test != want {
		t.Errorf("Test = %q, want %q", r.Test, want)
	}
	m.Unlock()
}

func TestUnlockedBeforeExitIsSilent(t *testing.T) {
	reports := start(t, detect.WithTimeout(time.Hour))
	var m detect.Mutex
	done := make(chan bool)
	go func() { m.Lock(); time.Sleep(60 * time.Millisecond); m.Unlock(); done <- true }()
	time.Sleep(10 * time.Millisecond)
	m.Lock()
	m.Unlock()
	<-done
	time.Sleep(150 * time.Millisecond)
	if r := reports(); len(r) != 0 {
		t.Fatalf("reports = %v, want none", kinds(r))
	}
}

//go:noinline
func startWorkers(wg *detect.WaitGroup, n int, fail int) {
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			if i == fail {
				return // error path skips Done
			}
			defer wg.Done()
		}()
	}
}

func TestWaitGroupDoneSkipped(t *testing.T) {
	reports := start(t, detect.WithTimeout(100*time.Millisecond))
	var wg detect.WaitGroup
	startWorkers(&wg, 3, 1)
	go wg.Wait()
	r := waitFor(t, reports, detect.KindBlockedWait)
	found := false
	for _, s := range r.Stacks {
		if names(s.Stack, "startWorkers") {
			found = true
		}
	}
	if !found {
		t.Errorf("stacks = %v, want the Add call site in startWorkers", r.Stacks)
	}
	wg.Done()
}

func TestWaitGroupAllDoneIsSilent(t *testing.T) {
	reports := start(t, detect.WithTimeout(100*time.Millisecond))
	var wg detect.WaitGroup
	startWorkers(&wg, 3, -1)
	wg.Wait()
	for i := 0; i < 3; i++ {
		wg.Go(func() { time.Sleep(time.Millisecond) })
	}
	wg.Wait()
	time.Sleep(150 * time.Millisecond)
	if r := reports(); len(r) != 0 {
		t.Fatalf("reports = %v, want none", kinds(r))
	}
}

func TestWaitGroupGoStillRunning(t *testing.T) {
	reports := start(t, detect.WithTimeout(100*time.Millisecond))
	var wg detect.WaitGroup
	release := make(chan bool)
	wg.Go(func() { <-release })
	go wg.Wait()
	r := waitFor(t, reports, detect.KindBlockedWait)
	if len(r.Goroutines) < 2 || !names(r.Goroutines[1].Stack, "TestWaitGroupGoStillRunning.func1") {
		t.Errorf("goroutines = %+v, want the Go goroutine with its stack", r.Goroutines)
	}
	close(release)
}

//go:noinline
func waitForever(c *detect.Cond) {
	c.L.Lock()
	c.Wait()
	c.L.Unlock()
}

func TestCondNeverSignalled(t *testing.T) {
	reports := start(t, detect.WithTimeout(100*time.Millisecond))
	var mu detect.Mutex
	c := detect.NewCond(&mu)
	go waitForever(c)
	r := waitFor(t, reports, detect.KindBlockedWait)
	if !names(r.Goroutines[0].WaitStack, "waitForever") || r.Goroutines[0].Note != "nobody has signalled or broadcast this Cond" {
		t.Errorf("goroutine = %+v, want waitForever and the note", r.Goroutines[0])
	}
	c.Broadcast()
}

func TestCondSignalledIsSilent(t *testing.T) {
	reports := start(t, detect.WithTimeout(200*time.Millisecond))
	var mu detect.Mutex
	c := detect.NewCond(&mu)
	ready := false
	done := make(chan bool)
	go func() {
		mu.Lock()
		for !ready {
			c.Wait()
		}
		mu.Unlock()
		done <- true
	}()
	time.Sleep(20 * time.Millisecond)
	mu.Lock()
	ready = true
	c.Signal()
	mu.Unlock()
	<-done
	if r := reports(); len(r) != 0 {
		t.Fatalf("reports = %v, want none", kinds(r))
	}
}

// waitDeferred waits on wg in a deferred call: the compiler's wrapper of
// `defer wg.Wait()` is the wait's call site, and goroutine dumps leave it
// out.
//
//go:noinline
func waitDeferred(wg *detect.WaitGroup) {
	defer wg.Wait()
}

// waitMethodValue waits through a method value, whose wrapper
// (WaitGroup.Wait-fm) is the wait's call site.
//
//go:noinline
func waitMethodValue(wg *detect.WaitGroup) {
	wait := wg.Wait
	wait()
}

// TestWrappedWaitIsReported: a wait whose call site is a compiler wrapper
// (defer wg.Wait(), a method value) is still reported.
func TestWrappedWaitIsReported(t *testing.T) {
	tests := []struct {
		give string
		wait func(*detect.WaitGroup)
		want string
	}{
		{"defer", waitDeferred, "waitDeferred"},
		{"method value", waitMethodValue, "waitMethodValue"},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			reports := start(t)
			var wg detect.WaitGroup
			wg.Add(1) // Done comes at the end only
			done := make(chan bool)
			go func() { tt.wait(&wg); done <- true }()
			r := waitFor(t, reports, detect.KindBlockedWait)
			if !names(r.Goroutines[0].WaitStack, tt.want) {
				t.Errorf("wait stack %v, want %s", r.Goroutines[0].WaitStack, tt.want)
			}
			wg.Done()
			<-done
		})
	}
}

// TestWrappedWaitEndedIsSilent is the twin of TestWrappedWaitIsReported:
// the same waits, ended well before the timeout, report nothing.
func TestWrappedWaitEndedIsSilent(t *testing.T) {
	reports := start(t)
	for _, wait := range []func(*detect.WaitGroup){waitDeferred, waitMethodValue} {
		var wg detect.WaitGroup
		wg.Add(1)
		done := make(chan bool)
		go func() { wait(&wg); done <- true }()
		wg.Done()
		<-done
	}
	time.Sleep(500 * time.Millisecond) // past the timeout (300ms)
	if r := reports(); len(r) != 0 {
		t.Fatalf("reports = %v, want none", kinds(r))
	}
}
