package batcher

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestBug(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	b := NewBatcher(ctx, 8)
	for i := 0; i < 200; i++ {
		b.Add(fmt.Sprint("row-", i))
	}
	b.Wait()
}

func TestFixed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	b := NewBatcher(ctx, 8)
	for i := 0; i < 200; i++ {
		if b.AddCtx(fmt.Sprint("row-", i)) != nil {
			break
		}
	}
	b.Wait()
}
