//go:build !gridlock_off

package detect_test

import (
	"sync"
	"testing"
	"time"

	"github.com/gridlock-go/gridlock/detect"
)

// Allocation budgets of the hot paths: the first tracked operation on a
// lock makes its record (and the first of a goroutine registers it); after
// that, locking and unlocking must not allocate, on or off.

func TestAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("measures allocations")
	}
	var a, b detect.Mutex
	var g, c, e detect.Mutex // a gate and two locks only taken under it
	var rw detect.RWMutex
	var wg detect.WaitGroup
	cases := []struct {
		name string
		op   func()
	}{
		{"Mutex.Lock+Unlock", func() { a.Lock(); a.Unlock() }},
		{"nested Lock+Lock+Unlock+Unlock", func() { a.Lock(); b.Lock(); b.Unlock(); a.Unlock() }},
		{"RWMutex.RLock+RUnlock", func() { rw.RLock(); rw.RUnlock() }},
		{"RWMutex.Lock+Unlock", func() { rw.Lock(); rw.Unlock() }},
		{"Mutex.TryLock+Unlock", func() {
			if a.TryLock() {
				a.Unlock()
			}
		}},
		{"WaitGroup.Add+Done+Wait", func() { wg.Add(1); wg.Done(); wg.Wait() }},
		// Edges under a gate lock are checked again each time (see
		// TestGateLockIsSilent), on the slow path, still without allocating.
		{"gated nested, both orders", func() { gatedAB(&g, &c, &e); gatedBA(&g, &c, &e) }},
	}
	// With a detector active every case has a budget of 0 allocations (a
	// Wait that does not block records no wait).
	enforced := map[string]bool{
		"WaitGroup.Add+Done+Wait":        true,
		"Mutex.Lock+Unlock":              true,
		"nested Lock+Lock+Unlock+Unlock": true,
		"RWMutex.RLock+RUnlock":          true,
		"RWMutex.Lock+Unlock":            true,
		"Mutex.TryLock+Unlock":           true,
		"gated nested, both orders":      true,
	}
	t.Run("off", func(t *testing.T) {
		if detect.Enabled() {
			t.Skip("a detector is active (GRIDLOCK is set)")
		}
		for _, c := range cases {
			c.op() // warm-up
			if n := testing.AllocsPerRun(1000, c.op); n != 0 {
				t.Errorf("disabled %s: %v allocs, want 0", c.name, n)
			}
		}
	})
	t.Run("on", func(t *testing.T) {
		reports := start(t)
		for _, c := range cases {
			for range 100 {
				c.op() // warm-up: records, goroutine state
			}
			n := testing.AllocsPerRun(1000, c.op)
			switch {
			case enforced[c.name] && n != 0:
				t.Errorf("enabled %s: %v allocs after warm-up, want 0", c.name, n)
			case n != 0:
				t.Logf("enabled %s: %v allocs (no budget)", c.name, n)
			}
		}
		if r := reports(); len(r) != 0 {
			t.Errorf("reports = %v, want none", kinds(r))
		}
	})
}

// TestAllocsBlocking holds the operations that block to the same budget:
// a wait reuses its goroutine's record. The partner goroutines count too
// (AllocsPerRun counts every allocation of the process), so the budget of
// a case is that of the same case with sync; the watchdog, which allocates
// when it looks at the waits, is kept asleep.
func TestAllocsBlocking(t *testing.T) {
	if testing.Short() {
		t.Skip("measures allocations")
	}
	reports := start(t, detect.WithGrace(time.Hour))
	const pause = 50 * time.Microsecond // long enough for the waiter to block, mostly
	var mu detect.Mutex
	req, done := make(chan struct{}), make(chan struct{})
	defer close(req)
	go func() {
		for range req {
			mu.Lock() // blocks: the test holds mu
			mu.Unlock()
			done <- struct{}{}
		}
	}()
	var smu sync.Mutex
	cond, stopCond := condRound(&mu, detect.NewCond(&mu), pause)
	defer stopCond()
	scond, stopSCond := condRound(&smu, sync.NewCond(&smu), pause)
	defer stopSCond()
	tests := []struct {
		give     string
		op, sync func()
	}{
		{
			give: "contended Mutex.Lock",
			op: func() {
				mu.Lock()
				req <- struct{}{}
				time.Sleep(pause)
				mu.Unlock()
				<-done
			},
			sync: func() {},
		},
		{"WaitGroup.Wait that blocks", waitGroupRound(new(detect.WaitGroup), pause), waitGroupRound(new(sync.WaitGroup), pause)},
		{"Cond.Wait+Signal", cond, scond},
	}
	for _, tt := range tests {
		budget := allocsOf(tt.sync)
		if got := allocsOf(tt.op); got > budget {
			t.Errorf("AllocsPerRun(%s) = %v with gridlock, want at most %v (sync's)", tt.give, got, budget)
		}
	}
	if r := reports(); len(r) != 0 {
		t.Errorf("reports = %v, want none", kinds(r))
	}
}

// waitGroupRound returns a round of a Wait that blocks until a new
// goroutine's Done.
func waitGroupRound(wg interface {
	Add(int)
	Done()
	Wait()
}, pause time.Duration) func() {
	return func() {
		wg.Add(1)
		go func() { time.Sleep(pause); wg.Done() }()
		wg.Wait()
	}
}

// condRound starts a long-lived signaller (a goroutine's first lock makes
// its state: a cost per goroutine, not per operation) and returns a round
// of a Cond.Wait until it signals, and a function that stops it.
func condRound(mu sync.Locker, cond interface {
	Wait()
	Signal()
}, pause time.Duration) (round, stop func()) {
	signal := make(chan struct{})
	ready := false
	go func() {
		for range signal {
			time.Sleep(pause)
			mu.Lock()
			ready = true
			cond.Signal()
			mu.Unlock()
		}
	}()
	round = func() {
		signal <- struct{}{}
		mu.Lock()
		for !ready {
			cond.Wait()
		}
		ready = false
		mu.Unlock()
	}
	return round, func() { close(signal) }
}

func allocsOf(f func()) float64 {
	for range 10 {
		f() // warm-up: records, goroutine states
	}
	return testing.AllocsPerRun(100, f)
}
