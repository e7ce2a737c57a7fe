package benchmarks

import (
	"testing"

	"github.com/gridlock-go/gridlock/chanwatch"
	"github.com/gridlock-go/gridlock/detect"
)

// Channel operations: native, then chanwatch with gridlock off and on, in
// the same run (run.sh gives the ratios against native).

func runChan(b *testing.B, native, watched func(b *testing.B)) {
	b.Run("native", func(b *testing.B) { b.ReportAllocs(); native(b) })
	b.Run("chanwatch-off", func(b *testing.B) {
		if detect.Enabled() {
			b.Skip("a detector is active (GRIDLOCK is set)")
		}
		b.ReportAllocs()
		watched(b)
	})
	b.Run("chanwatch-on", func(b *testing.B) {
		d := detect.New(detect.WithLog(detect.LogOff))
		stop := d.Start()
		defer func() { stop(); d.Close() }()
		b.ReportAllocs()
		watched(b)
	})
}

// received keeps the values the benchmarks receive: a receive whose value
// is used, on both sides. (A native <-ch statement discards the value, and
// the runtime then copies nothing, where chanwatch.Recv returns it: that
// compared a receive with less work, 348 instructions a buffered pair
// against 398 with gridlock off. chanwatch.Recv is what gridlock test
// writes for a receive inside an expression, whose value is used; a
// receive statement stays native.)
var received int

// BenchmarkChanBuffered is a send and a receive on a buffered channel.
func BenchmarkChanBuffered(b *testing.B) {
	runChan(b, func(b *testing.B) {
		ch := make(chan int, 1)
		sum := 0
		for b.Loop() {
			ch <- 1
			sum += <-ch
		}
		received = sum
	}, func(b *testing.B) {
		ch := make(chan int, 1)
		sum := 0
		for b.Loop() {
			chanwatch.Send(ch, 1)
			sum += chanwatch.Recv(ch)
		}
		received = sum
	})
}

// BenchmarkChanPingPong is a round trip between two goroutines over
// unbuffered channels: every operation blocks.
func BenchmarkChanPingPong(b *testing.B) {
	runChan(b, func(b *testing.B) {
		ping, pong := make(chan int), make(chan int)
		go func() {
			for v := range ping {
				pong <- v
			}
		}()
		sum := 0
		for b.Loop() {
			ping <- 1
			sum += <-pong
		}
		received = sum
		close(ping)
	}, func(b *testing.B) {
		ping, pong := make(chan int), make(chan int)
		go func() {
			for v := range chanwatch.Range(ping) {
				chanwatch.Send(pong, v)
			}
		}()
		sum := 0
		for b.Loop() {
			chanwatch.Send(ping, 1)
			sum += chanwatch.Recv(pong)
		}
		received = sum
		chanwatch.Close(ping)
	})
}

// BenchmarkChanSelect3 is a select over three channels, one ready, in the
// shape gridlock's rewriter gives it.
func BenchmarkChanSelect3(b *testing.B) {
	runChan(b, func(b *testing.B) {
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
