package watcher

import (
	"context"
	"fmt"
	"math/rand"
	"time"
)

type Event struct {
	Key, Value string
}

type Watcher struct {
	Key   string
	Every time.Duration
	Fixed bool
}

func (w *Watcher) poll(i int) (Event, bool) {
	if rand.Intn(2) == 0 {
		return Event{}, false
	}
	return Event{Key: w.Key, Value: fmt.Sprint("rev-", i)}, true
}

func (w *Watcher) Watch(ctx context.Context) <-chan Event {
	out := make(chan Event)
	go w.run(ctx, out)
	return out
}

func (w *Watcher) run(ctx context.Context, out chan<- Event) {
	t := time.NewTicker(w.Every)
	defer t.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		ev, changed := w.poll(i)
		if !changed {
			continue
		}
		if w.Fixed {
			select {
			case out <- ev:
			case <-ctx.Done():
				return
			}
			continue
		}
		out <- ev // BUG: ignores ctx while sending
	}
}
