package reqctx

import (
	"context"
	"math/rand"
	"time"
)

type Handler struct {
	Fixed bool
}

func (h *Handler) query(user string) []string {
	time.Sleep(time.Duration(rand.Intn(4000)) * time.Microsecond)
	return []string{user + "/inbox"}
}

func (h *Handler) queryAsync(user string, ch chan<- []string) {
	ch <- h.query(user) // BUG when ch is unbuffered and the caller left
}

func (h *Handler) Serve(ctx context.Context, user string) ([]string, error) {
	size := 0
	if h.Fixed {
		size = 1
	}
	ch := make(chan []string, size)
	go h.queryAsync(user, ch)
	select {
	case res := <-ch:
		return res, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
