package limiterrefill

import (
	"math/rand"
	"sync"
	"testing"
	"time"
)

func TestBug(t *testing.T) {
	l := NewLimiter(5, 2*time.Millisecond)
	var wg sync.WaitGroup
	for c := 0; c < 3; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 4; i++ {
				l.Allow()
				time.Sleep(time.Duration(rand.Intn(1500)) * time.Microsecond)
			}
		}()
	}
	wg.Wait()
}

func TestFixed(t *testing.T) {
	l := NewFixedLimiter(5, 2*time.Millisecond)
	var wg sync.WaitGroup
	for c := 0; c < 3; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 4; i++ {
				l.Allow()
				time.Sleep(time.Duration(rand.Intn(1500)) * time.Microsecond)
			}
		}()
	}
	wg.Wait()
}
