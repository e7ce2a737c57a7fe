// Command leakedlock runs handlers that lock a shared rate-limiter state and
// unlock it at the end; a handler that panics (recovered by the server loop)
// skips the Unlock, leaving the lock held by a goroutine that is gone: the
// next handler blocks forever. With -fixed the handler unlocks with defer.
package main

import (
	"errors"
	"flag"
	"fmt"
	"sync"
)

type Limiter struct {
	mu     sync.Mutex
	tokens int
}

func (l *Limiter) Handle(req int, fixed bool) {
	l.mu.Lock()
	if fixed {
		defer l.mu.Unlock()
	}
	if req < 0 {
		panic(errors.New("bad request"))
	}
	l.tokens--
	if !fixed {
		l.mu.Unlock()
	}
}

// serve runs each request on its own goroutine, recovering panics.
func serve(l *Limiter, reqs []int, fixed bool) {
	for _, r := range reqs {
		done := make(chan struct{})
		go func() {
			defer close(done)
			defer func() { recover() }()
			l.Handle(r, fixed)
		}()
		<-done
	}
}

func run(fixed bool) int {
	l := &Limiter{tokens: 10}
	serve(l, []int{1, -1, 2}, fixed)
	return l.tokens
}

func main() {
	fixed := flag.Bool("fixed", false, "run the fixed version")
	flag.Parse()
	fmt.Println("tokens:", run(*fixed))
}
