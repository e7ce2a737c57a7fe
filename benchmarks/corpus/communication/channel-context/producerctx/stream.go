package producerctx

import (
	"context"
	"math/rand"
)

func fetchPage(p int) []int {
	ids := make([]int, 10)
	for i := range ids {
		ids[i] = p*10 + i
	}
	return ids
}

// Stream returns all IDs page by page.
func Stream(ctx context.Context, fixed bool) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for p := 0; p < 100; p++ {
			if ctx.Err() != nil {
				return
			}
			for _, id := range fetchPage(p) {
				if fixed {
					select {
					case out <- id:
					case <-ctx.Done():
						return
					}
					continue
				}
				out <- id // BUG: ignores ctx
			}
		}
	}()
	return out
}

// FindFirst returns the first ID accepted by match.
func FindFirst(match func(int) bool, fixed bool) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for id := range Stream(ctx, fixed) {
		if match(id) {
			return id
		}
	}
	return -1
}

func randomTarget() int { return rand.Intn(1200) }
