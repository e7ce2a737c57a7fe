package chanwatch_test

import (
	"testing"

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
