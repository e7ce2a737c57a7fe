package chanwatch_test

import (
	"testing"

	"github.com/gridlock-go/gridlock/chanwatch"
	"github.com/gridlock-go/gridlock/detect"
)

// Every benchmark has a native sub-benchmark, the baseline of the ratios,
// and chanwatch with gridlock off and on, in the same run.

func modes(b *testing.B, native, watched func(b *testing.B)) {
	b.Run("native", native)
	b.Run("chanwatch-off", watched)
	b.Run("chanwatch-on", func(b *testing.B) {
		d := detect.New(detect.WithLog(detect.LogOff))
		stop := d.Start()
		defer func() { stop(); d.Close() }()
		watched(b)
	})
}

func BenchmarkBufferedPair(b *testing.B) {
	modes(b, func(b *testing.B) {
		ch := make(chan int, 1)
		for b.Loop() {
			ch <- 1
			<-ch
		}
	}, func(b *testing.B) {
		ch := make(chan int, 1)
		for b.Loop() {
			chanwatch.Send(ch, 1)
			chanwatch.Recv(ch)
		}
	})
}

func BenchmarkPingPong(b *testing.B) {
	modes(b, func(b *testing.B) {
		ping, pong := make(chan int), make(chan int)
		go func() {
			for v := range ping {
				pong <- v
			}
			close(pong)
		}()
		for b.Loop() {
			ping <- 1
			<-pong
		}
		close(ping)
	}, func(b *testing.B) {
		ping, pong := make(chan int), make(chan int)
		go func() {
			for v := range chanwatch.Range(ping) {
				chanwatch.Send(pong, v)
			}
			chanwatch.Close(pong)
		}()
		for b.Loop() {
			chanwatch.Send(ping, 1)
			chanwatch.Recv(pong)
		}
		chanwatch.Close(ping)
	})
}

// select over three channels, one of them ready, as the rewriter emits it.
func BenchmarkSelect3(b *testing.B) {
	modes(b, func(b *testing.B) {
		c0, c1, c2 := make(chan int), make(chan int), make(chan int, 1)
		for b.Loop() {
			c2 <- 1
			select {
			case <-c0:
			case <-c1:
			case <-c2:
			}
		}
	}, func(b *testing.B) {
		c0, c1, c2 := make(chan int), make(chan int), make(chan int, 1)
		for b.Loop() {
			chanwatch.Send(c2, 1)
			i := -1
			select {
			case <-c0:
				i = 0
			case <-c1:
				i = 1
			case <-c2:
				i = 2
			default:
			}
			if i < 0 {
				w := chanwatch.Block(chanwatch.RecvOp(c0), chanwatch.RecvOp(c1), chanwatch.RecvOp(c2))
				select {
				case <-c0:
					i = 0
				case <-c1:
					i = 1
				case <-c2:
					i = 2
				}
				w.Done(i)
			} else {
				chanwatch.Selected(chanwatch.RecvOp(c2))
			}
		}
	})
}

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
