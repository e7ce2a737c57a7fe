package resultfanin

import (
	"testing"
	"time"
)

func TestBug(t *testing.T) {
	f := &Fetcher{FailRate: 0.05}
	for i := 0; i < 5; i++ {
		f.FetchAll(8) // errors are retried by the caller
	}
}

func TestFixed(t *testing.T) {
	f := &Fetcher{FailRate: 0.05, Buffered: true}
	for i := 0; i < 5; i++ {
		f.FetchAll(8)
	}
	time.Sleep(2 * time.Millisecond) // stragglers finish their buffered send
}
