// Package benchmarks compares the cost of gridlock's detect package with
// sync and with github.com/sasha-s/go-deadlock, in one run on one machine.
// run.sh turns the results into a Markdown table; README.md explains it.
package benchmarks

import (
	"sync"
	"testing"

	deadlock "github.com/sasha-s/go-deadlock"

	"github.com/gridlock-go/gridlock/detect"
)

// Each benchmark has one sub-benchmark per implementation:
//
//	sync               sync.Mutex, the baseline
//	detect-off         detect.Mutex, no detector active (GRIDLOCK unset)
//	detect-on          detect.Mutex, detector started in the benchmark
//	deadlock           deadlock.Mutex with deadlock.Opts at their defaults
//	                   (lock-order detection and a 30s wait timeout)
//	deadlock-disabled  deadlock.Mutex with deadlock.Opts.Disable = true
//
// The loops call the concrete types, as user code does, so that what the
// compiler inlines in user code is inlined here too.

const warmup = 1000

type impl struct {
	name  string
	setup func(b *testing.B) (cleanup func())
}

var impls = []impl{
	{"sync", nil},
	{"detect-off", func(b *testing.B) func() {
		if detect.Enabled() {
			b.Skip("a detector is active (GRIDLOCK is set): detect-off cannot be measured")
		}
		return func() {}
	}},
	{"detect-on", func(b *testing.B) func() {
		d := detect.New(detect.WithLog(detect.LogOff))
		stop := d.Start()
		return func() {
			stop()
			if r := d.Reports(); len(r) != 0 {
				b.Errorf("gridlock made %d report(s) during the benchmark", len(r))
			}
			d.Close()
		}
	}},
	{"deadlock", func(b *testing.B) func() {
		old := deadlock.Opts.Disable
		deadlock.Opts.Disable = false
		return func() { deadlock.Opts.Disable = old }
	}},
	{"deadlock-disabled", func(b *testing.B) func() {
		old := deadlock.Opts.Disable
		deadlock.Opts.Disable = true
		return func() { deadlock.Opts.Disable = old }
	}},
}

// run runs body once per implementation. body switches on the name to use
// the concrete type.
func run(b *testing.B, body func(b *testing.B, impl string)) {
	for _, im := range impls {
		b.Run(im.name, func(b *testing.B) {
			if im.setup != nil {
				cleanup := im.setup(b)
				defer cleanup()
			}
			b.ReportAllocs()
			body(b, im.name)
		})
	}
}

// BenchmarkPair is an uncontended Lock/Unlock pair.
func BenchmarkPair(b *testing.B) {
	run(b, func(b *testing.B, impl string) {
		switch impl {
		case "sync":
			var mu sync.Mutex
			for range warmup {
				mu.Lock()
				mu.Unlock()
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				mu.Lock()
				mu.Unlock()
			}
		case "detect-off", "detect-on":
			var mu detect.Mutex
			for range warmup {
				mu.Lock()
				mu.Unlock()
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				mu.Lock()
				mu.Unlock()
			}
		default:
			var mu deadlock.Mutex
			for range warmup {
				mu.Lock()
				mu.Unlock()
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				mu.Lock()
				mu.Unlock()
			}
		}
	})
}

// BenchmarkNested locks A then B and unlocks both: the lock-order path.
func BenchmarkNested(b *testing.B) {
	run(b, func(b *testing.B, impl string) {
		switch impl {
		case "sync":
			var x, y sync.Mutex
			for range warmup {
				x.Lock()
				y.Lock()
				y.Unlock()
				x.Unlock()
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				x.Lock()
				y.Lock()
				y.Unlock()
				x.Unlock()
			}
		case "detect-off", "detect-on":
			var x, y detect.Mutex
			for range warmup {
				x.Lock()
				y.Lock()
				y.Unlock()
				x.Unlock()
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				x.Lock()
				y.Lock()
				y.Unlock()
				x.Unlock()
			}
		default:
			var x, y deadlock.Mutex
			for range warmup {
				x.Lock()
				y.Lock()
				y.Unlock()
				x.Unlock()
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				x.Lock()
				y.Lock()
				y.Unlock()
				x.Unlock()
			}
		}
	})
}

// BenchmarkParallelDistinct has each goroutine of b.RunParallel lock its own
// mutex: nothing is shared, so ns/op must fall with more Ps (-cpu 1,2,4)
// unless the implementation serializes on a global lock.
func BenchmarkParallelDistinct(b *testing.B) {
	run(b, func(b *testing.B, impl string) {
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			// The warm-up is timed (RunParallel has no other place for
			// it): 100 pairs per goroutine are noise at b.N.
			switch impl {
			case "sync":
				// Padded: mutexes of different goroutines on one cache
				// line would measure false sharing, not the mutex.
				var padded struct {
					mu sync.Mutex
					_  [128]byte
				}
				mu := &padded.mu
				for range 100 {
					mu.Lock()
					mu.Unlock()
				}
				for pb.Next() {
					mu.Lock()
					mu.Unlock()
				}
			case "detect-off", "detect-on":
				// Padded: mutexes of different goroutines on one cache
				// line would measure false sharing, not the mutex.
				var padded struct {
					mu detect.Mutex
					_  [128]byte
				}
				mu := &padded.mu
				for range 100 {
					mu.Lock()
					mu.Unlock()
				}
				for pb.Next() {
					mu.Lock()
					mu.Unlock()
				}
			default:
				// Padded: mutexes of different goroutines on one cache
				// line would measure false sharing, not the mutex.
				var padded struct {
					mu deadlock.Mutex
					_  [128]byte
				}
				mu := &padded.mu
				for range 100 {
					mu.Lock()
					mu.Unlock()
				}
				for pb.Next() {
					mu.Lock()
					mu.Unlock()
				}
			}
		})
	})
}
