// Command condunlocked has a job queue whose Pop checks for work under the
// lock, releases it, and then waits on the condition variable without it:
// Cond.Wait unlocks L first, so sync stops the program (unlock of unlocked
// mutex), and even with the lock held the check-then-wait would miss a
// Push made in between. gridlock reports the Wait without L first. With
// -fixed Pop waits in a loop while holding the lock.
package main

import (
	"flag"
	"fmt"
	"sync"
)

type Queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
}

func NewQueue() *Queue {
	q := &Queue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func (q *Queue) Push(v int) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.cond.Signal()
}

func (q *Queue) Pop(fixed bool) int {
	q.mu.Lock()
	if fixed {
		for len(q.items) == 0 {
			q.cond.Wait()
		}
	} else {
		empty := len(q.items) == 0
		q.mu.Unlock()
		if empty {
			q.cond.Wait() // without q.mu
		}
		q.mu.Lock()
	}
	v := q.items[0]
	q.items = q.items[1:]
	q.mu.Unlock()
	return v
}

func run(fixed bool) int {
	q := NewQueue()
	got := make(chan int)
	go func() { got <- q.Pop(fixed) }()
	q.Push(7)
	return <-got
}

func main() {
	fixed := flag.Bool("fixed", false, "run the fixed version")
	flag.Parse()
	fmt.Println("popped:", run(*fixed))
}
