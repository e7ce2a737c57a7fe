package watcher

import (
	"context"
	"testing"
	"time"
)

func consume(w *Watcher) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	events := w.Watch(ctx)
	for {
		select {
		case <-events:
		case <-ctx.Done():
			return
		}
	}
}

func TestBug(t *testing.T) {
	for i := 0; i < 3; i++ {
		consume(&Watcher{Key: "/config/feature-flags", Every: 500 * time.Microsecond})
	}
}

func TestFixed(t *testing.T) {
	for i := 0; i < 3; i++ {
		consume(&Watcher{Key: "/config/feature-flags", Every: 500 * time.Microsecond, Fixed: true})
	}
	time.Sleep(2 * time.Millisecond)
}
