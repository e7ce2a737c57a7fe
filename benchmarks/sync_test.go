package benchmarks

import (
	"sync"
	"testing"

	"github.com/gridlock-go/gridlock/detect"
)

// The other sync types and the contended path: sync against detect (off
// and on) in the same run; go-deadlock has no WaitGroup and its RWMutex is
// not the case of interest here.

type locker interface {
	Lock()
	Unlock()
}

// modes runs body for sync, detect-off and detect-on.
func modes(b *testing.B, body func(b *testing.B, impl string)) {
	for _, im := range impls {
		if im.name != "sync" && im.name != "detect-off" && im.name != "detect-on" {
			continue
		}
		b.Run(im.name, func(b *testing.B) {
			if im.setup != nil {
				defer im.setup(b)()
			}
			body(b, im.name)
		})
	}
}

// BenchmarkRWMutexRead is an uncontended RLock/RUnlock pair.
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

// guarded is a mutex with the data it guards, as Go code lays them out:
// the counter shares the mutex's cache line whatever the mutex's size.
type guarded[M any] struct {
	mu M
	n  int
}

// newGuarded returns a mutex and the counter it guards.
func newGuarded(impl string) (locker, *int) {
	if impl == "sync" {
		g := new(guarded[sync.Mutex])
		return &g.mu, &g.n
	}
	g := new(guarded[detect.Mutex])
	return &g.mu, &g.n
}

// BenchmarkContended has all goroutines (4 per P) take one mutex: the slow
// path, where Lock waits and detect records the wait. Both implementations
// are called through the locker interface, and each mutex shares its
// cache line with the counter it guards (two separate allocations would
// put them apart or together depending on the allocator's size classes,
// which is not what is measured).
func BenchmarkContended(b *testing.B) {
	modes(b, func(b *testing.B, impl string) {
		b.ReportAllocs()
		mu, shared := newGuarded(impl)
		for range warmup {
			mu.Lock()
			mu.Unlock()
		}
		b.SetParallelism(4)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				mu.Lock()
				*shared++
				mu.Unlock()
			}
		})
		b.StopTimer()
		if *shared != b.N {
			b.Fatalf("shared = %d, want b.N = %d: the mutex did not exclude", *shared, b.N)
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
