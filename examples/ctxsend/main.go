// Command ctxsend runs a search across backends and returns the first
// answer; the caller gives up when its context is cancelled. The workers send
// their answer on an unbuffered channel without watching ctx.Done(), so once
// the caller has returned the remaining sends block forever: a goroutine
// leak per request. With -fixed the send selects on ctx.Done().
package main

import (
	"context"
	"flag"
	"fmt"
	"time"
)

func query(backend int) string {
	time.Sleep(time.Duration(backend) * 5 * time.Millisecond)
	return fmt.Sprintf("answer from %d", backend)
}

// worker queries one backend and sends the answer.
func worker(ctx context.Context, backend int, out chan<- string, fixed bool) {
	ans := query(backend)
	if fixed {
		select {
		case out <- ans:
		case <-ctx.Done():
		}
		return
	}
	out <- ans // blocks for good once First has returned
}

// First returns the first answer.
func First(ctx context.Context, backends int, fixed bool) string {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make(chan string)
	for b := 1; b <= backends; b++ {
		go worker(ctx, b, out, fixed)
	}
	return <-out
}

func run(fixed bool) string {
	ans := First(context.Background(), 3, fixed)
	time.Sleep(50 * time.Millisecond) // the other workers finish by now
	return ans
}

func main() {
	fixed := flag.Bool("fixed", false, "run the fixed version")
	flag.Parse()
	fmt.Println(run(*fixed))
}
