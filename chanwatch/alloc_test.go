package chanwatch_test

import (
	"testing"
	"time"

	"github.com/gridlock-go/gridlock/chanwatch"
	"github.com/gridlock-go/gridlock/detect"
)

// The cost of chanwatch against native channels is measured in the
// benchmarks module (benchmarks/chan_test.go); here, the allocation budget.

func TestAllocs(t *testing.T) {
	d := detect.New(detect.WithLog(detect.LogOff))
	stop := d.Start()
	defer func() { stop(); d.Close() }()
	ch := make(chan int, 1)
	chanwatch.Send(ch, 1)
	chanwatch.Recv(ch)
	tests := []struct {
		give string
		fn   func()
	}{
		{"buffered send+recv", func() { chanwatch.Send(ch, 1); chanwatch.Recv(ch) }},
		{"selected", func() { chanwatch.Send(ch, 1); <-ch; chanwatch.Selected(chanwatch.RecvOp(ch)) }},
	}
	for _, tt := range tests {
		if got := testing.AllocsPerRun(200, tt.fn); got != 0 {
			t.Errorf("AllocsPerRun(%s) = %v, want 0", tt.give, got)
		}
	}
}

// TestAllocsBlocking: operations that block reuse their goroutine's wait
// record. AllocsPerRun counts the partner goroutine too, and the watchdog,
// which allocates when it looks at the waits (every 25 ms while there are
// any): over many round trips its share rounds to zero.
func TestAllocsBlocking(t *testing.T) {
	if testing.Short() {
		t.Skip("measures allocations")
	}
	reports := start(t, detect.WithTimeout(time.Hour))
	ping, pong := make(chan int), make(chan int)
	defer chanwatch.Close(ping)
	go func() {
		for v := range chanwatch.Range(ping) {
			chanwatch.Send(pong, v)
		}
	}()
	quit := make(chan int)
	tests := []struct {
		give string
		fn   func()
	}{
		{"unbuffered ping-pong", func() { chanwatch.Send(ping, 1); chanwatch.Recv(pong) }},
		{"blocking select", func() {
			chanwatch.Send(ping, 1)
			// The rewriter's shape of: select { case <-pong: case <-quit: }
			w := chanwatch.Block(chanwatch.RecvOp(pong), chanwatch.RecvOp(quit))
			i := -1
			select {
			case <-pong:
				i = 0
			case <-quit:
				i = 1
			}
			w.Done(i)
		}},
	}
	for _, tt := range tests {
		for range 100 {
			tt.fn() // warm-up: records, goroutine states
		}
		if got := testing.AllocsPerRun(20000, tt.fn); got != 0 {
			t.Errorf("AllocsPerRun(%s) = %v, want 0", tt.give, got)
		}
	}
	if r := reports(); len(r) != 0 {
		t.Errorf("reports = %v, want none", kinds(r))
	}
}
