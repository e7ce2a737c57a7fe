package detect_test

import (
	"sync"
	"testing"

	"github.com/gridlock-go/gridlock/detect"
)

// Every benchmark runs sync's type and detect's in the same run, so that the
// ratios come from one machine state:
//
//	BenchmarkX/sync        the sync baseline
//	BenchmarkX/detect-off  detect with no active detector (GRIDLOCK unset)
//	BenchmarkX/detect-on   detect with a detector started in the benchmark
//
// Compare them with benchstat:
//
//	go test -run '^$' -bench . -benchmem -count 6 ./detect | tee /tmp/bench.txt
//	benchstat -col /impl /tmp/bench.txt

// warmup is how many operations run before the timer starts: the first
// tracked operation on a lock makes its record, the first one of a goroutine
// registers the goroutine.
const warmup = 1000

// locker is what the pair benchmarks need of sync.Mutex and detect.Mutex.
type locker interface {
	Lock()
	Unlock()
}

// modes runs body as the sync, detect-off and detect-on sub-benchmarks. body
// gets a constructor for fresh mutexes of the implementation under test; it
// must do its own warm-up and call b.ResetTimer.
func modes(b *testing.B, body func(b *testing.B, impl string)) {
	b.Run("sync", func(b *testing.B) { body(b, "sync") })
	b.Run("detect-off", func(b *testing.B) {
		if detect.Enabled() {
			b.Skip("a detector is active (GRIDLOCK is set): detect-off cannot be measured")
		}
		body(b, "detect")
	})
	b.Run("detect-on", func(b *testing.B) {
		d := detect.New(detect.WithLog(detect.LogOff))
		stop := d.Start()
		defer d.Close()
		defer stop()
		body(b, "detect")
		b.StopTimer()
		if r := d.Reports(); len(r) != 0 {
			b.Fatalf("the benchmark made reports: %v", kinds(r))
		}
	})
}

// The pair benchmarks use the concrete types, not the locker interface, so
// that the calls inline as they do in user code.

func BenchmarkMutex(b *testing.B) {
	modes(b, func(b *testing.B, impl string) {
		b.ReportAllocs()
		if impl == "sync" {
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
			return
		}
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
	})
}

func BenchmarkNested(b *testing.B) {
	modes(b, func(b *testing.B, impl string) {
		b.ReportAllocs()
		if impl == "sync" {
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
			return
		}
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
	})
}

func BenchmarkRWMutexRead(b *testing.B) {
	modes(b, func(b *testing.B, impl string) {
		b.ReportAllocs()
		if impl == "sync" {
			var rw sync.RWMutex
			for range warmup {
				rw.RLock()
				rw.RUnlock()
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				rw.RLock()
				rw.RUnlock()
			}
			return
		}
		var rw detect.RWMutex
		for range warmup {
			rw.RLock()
			rw.RUnlock()
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			rw.RLock()
			rw.RUnlock()
		}
	})
}

func newLocker(impl string) locker {
	if impl == "sync" {
		return new(sync.Mutex)
	}
	return new(detect.Mutex)
}

// BenchmarkParallelDistinct has every goroutine lock its own mutex: nothing
// is shared, so the time per operation must fall as GOMAXPROCS grows (run
// with -cpu 1,2,4) unless the detector has a global lock or a shared cache
// line on this path.
func BenchmarkParallelDistinct(b *testing.B) {
	modes(b, func(b *testing.B, impl string) {
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			// Warm-up inside the timed region (RunParallel has no other
			// place for it); 100 pairs per goroutine are noise at b.N.
			if impl == "sync" {
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
				return
			}
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
		})
	})
}

// BenchmarkContended has all goroutines (4 per P) take one mutex: the slow
// path, where Lock waits and detect records the wait. Both implementations
// are called through the locker interface.
func BenchmarkContended(b *testing.B) {
	modes(b, func(b *testing.B, impl string) {
		b.ReportAllocs()
		mu := newLocker(impl)
		for range warmup {
			mu.Lock()
			mu.Unlock()
		}
		var shared int
		b.SetParallelism(4)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				mu.Lock()
				shared++
				mu.Unlock()
			}
		})
		b.StopTimer()
		if shared != b.N {
			b.Fatalf("shared = %d, want b.N = %d: the mutex did not exclude", shared, b.N)
		}
	})
}

// BenchmarkWaitGroup is one Add(1), Done, Wait round on an idle WaitGroup.
func BenchmarkWaitGroup(b *testing.B) {
	modes(b, func(b *testing.B, impl string) {
		b.ReportAllocs()
		if impl == "sync" {
			var wg sync.WaitGroup
			for range warmup {
				wg.Add(1)
				wg.Done()
				wg.Wait()
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				wg.Add(1)
				wg.Done()
				wg.Wait()
			}
			return
		}
		var wg detect.WaitGroup
		for range warmup {
			wg.Add(1)
			wg.Done()
			wg.Wait()
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			wg.Add(1)
			wg.Done()
			wg.Wait()
		}
	})
}
