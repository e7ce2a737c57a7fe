package reqctx

import (
	"context"
	"testing"
	"time"
)

func serve(h *Handler) {
	for i := 0; i < 4; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Millisecond)
		h.Serve(ctx, "bob")
		cancel()
	}
}

func TestBug(t *testing.T) { serve(&Handler{}) }

func TestFixed(t *testing.T) {
	serve(&Handler{Fixed: true})
	time.Sleep(5 * time.Millisecond)
}
