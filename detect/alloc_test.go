package detect_test

import (
	"testing"

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
