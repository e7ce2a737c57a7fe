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

func newLocker(impl string) locker {
	if impl == "sync" {
		return new(sync.Mutex)
	}
	return new(detect.Mutex)
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
