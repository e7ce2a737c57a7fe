package errgroupfirst

import (
	"context"
	"errors"
	"math/rand"
	"sync"
	"time"
)

var ErrBadRecord = errors.New("bad record")

func handle(rec int) (int, error) {
	time.Sleep(time.Duration(rand.Intn(200)) * time.Microsecond)
	if rand.Intn(40) == 0 {
		return 0, ErrBadRecord
	}
	return rec * 2, nil
}

type outcome struct {
	val int
	err error
}

func worker(ctx context.Context, jobs <-chan int, out chan<- outcome) {
	for {
		select {
		case <-ctx.Done():
			return
		case rec, ok := <-jobs:
			if !ok {
				return
			}
			v, err := handle(rec)
			out <- outcome{v, err} // BUG: ignores ctx
		}
	}
}

// Process returns the sum of the handled records or the first error.
func Process(ctx context.Context, records []int, workers int) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	out := make(chan outcome)
	for i := 0; i < workers; i++ {
		go worker(ctx, jobs, out)
	}
	go func() {
		defer close(jobs)
		for _, r := range records {
			select {
			case jobs <- r:
			case <-ctx.Done():
				return
			}
		}
	}()
	sum := 0
	for range records {
		o := <-out
		if o.err != nil {
			return 0, o.err // cancel() runs; busy workers are stuck on out
		}
		sum += o.val
	}
	return sum, nil
}

func fixedWorker(ctx context.Context, jobs <-chan int, out chan<- outcome) {
	for {
		select {
		case <-ctx.Done():
			return
		case rec, ok := <-jobs:
			if !ok {
				return
			}
			v, err := handle(rec)
			select {
			case out <- outcome{v, err}:
			case <-ctx.Done():
				return
			}
		}
	}
}

func FixedProcess(ctx context.Context, records []int, workers int) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	jobs := make(chan int)
	out := make(chan outcome)
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); fixedWorker(ctx, jobs, out) }()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(jobs)
		for _, r := range records {
			select {
			case jobs <- r:
			case <-ctx.Done():
				return
			}
		}
	}()
	sum := 0
	for range records {
		o := <-out
		if o.err != nil {
			return 0, o.err
		}
		sum += o.val
	}
	return sum, nil
}
