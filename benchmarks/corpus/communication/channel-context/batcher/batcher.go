package batcher

import (
	"context"
	"time"
)

type Batcher struct {
	ctx     context.Context
	in      chan string
	flushed chan []string
	done    chan struct{}
}

func NewBatcher(ctx context.Context, size int) *Batcher {
	b := &Batcher{ctx: ctx, in: make(chan string), flushed: make(chan []string, 1000), done: make(chan struct{})}
	go b.run(size)
	return b
}

func (b *Batcher) run(size int) {
	defer close(b.done)
	var batch []string
	for {
		select {
		case <-b.ctx.Done():
			return
		case s := <-b.in:
			batch = append(batch, s)
			if len(batch) == size {
				b.flushed <- batch
				batch = nil
				time.Sleep(100 * time.Microsecond) // write the batch
			}
		}
	}
}

func (b *Batcher) Add(s string) {
	b.in <- s // BUG: blocks forever once run has returned
}

// AddCtx is the fixed Add.
func (b *Batcher) AddCtx(s string) error {
	select {
	case b.in <- s:
		return nil
	case <-b.ctx.Done():
		return b.ctx.Err()
	}
}

func (b *Batcher) Wait() { <-b.done }
