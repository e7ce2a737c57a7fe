// Command cond has a bounded job queue whose consumers wait on a Cond until
// a job arrives; the producer's Close sets the closed flag but forgets to
// Broadcast, so a consumer waiting on an empty queue sleeps forever. gridlock
// reports the wait and that nobody signalled the Cond. With -fixed, Close
// broadcasts.
package main

import (
	"flag"
	"fmt"
	"sync"
	"time"
)

type Queue struct {
	mu     sync.Mutex
	cond   *sync.Cond
	jobs   []int
	closed bool
	fixed  bool
	// waiting counts the consumers in Wait (for run, which closes the
	// queue once one waits).
	waiting int
}

func NewQueue(fixed bool) *Queue {
	q := &Queue{fixed: fixed}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// Next waits for a job; ok is false once the queue is closed and empty.
func (q *Queue) Next() (job int, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.jobs) == 0 && !q.closed {
		q.waiting++
		q.cond.Wait()
		q.waiting--
	}
	if len(q.jobs) == 0 {
		return 0, false
	}
	job, q.jobs = q.jobs[0], q.jobs[1:]
	return job, true
}

// Close tells consumers no more jobs will come.
func (q *Queue) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	if q.fixed {
		q.cond.Broadcast()
	}
}

// awaitConsumer returns once a consumer waits in Next: seen under q.mu, it
// has released q.mu in Wait, so it is in the Cond's queue.
func (q *Queue) awaitConsumer() {
	for {
		q.mu.Lock()
		n := q.waiting
		q.mu.Unlock()
		if n > 0 {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

func run(fixed bool) int {
	q := NewQueue(fixed)
	done := make(chan int)
	go func() {
		n := 0
		for {
			if _, ok := q.Next(); !ok {
				break
			}
			n++
		}
		done <- n
	}()
	q.awaitConsumer() // a sleep would not make sure of it on a loaded machine
	q.Close()
	return <-done
}

func main() {
	fixed := flag.Bool("fixed", false, "run the fixed version")
	flag.Parse()
	fmt.Println("jobs:", run(*fixed))
}
