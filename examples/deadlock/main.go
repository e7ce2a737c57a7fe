// Command deadlock moves jobs between two queues from two goroutines, each
// locking its source queue and then its destination: the AB-BA inversion
// with the bad interleaving forced, so it really hangs. gridlock reports the
// confirmed deadlock within a fraction of a second, naming both goroutines,
// what each holds and waits for. With -fixed both lock in one global order.
package main

import (
	"flag"
	"fmt"
	"sync"
)

type Queue struct {
	mu   sync.Mutex
	rank int
	jobs []int
}

// Move moves one job from src to dst. between runs after the first lock
// (the test uses it to force the bad interleaving).
func Move(src, dst *Queue, fixed bool, between func()) {
	first, second := src, dst
	if fixed && dst.rank < src.rank {
		first, second = dst, src
	}
	first.mu.Lock()
	between()
	second.mu.Lock()
	if len(src.jobs) > 0 {
		dst.jobs = append(dst.jobs, src.jobs[0])
		src.jobs = src.jobs[1:]
	}
	second.mu.Unlock()
	first.mu.Unlock()
}

func run(fixed bool) int {
	a := &Queue{rank: 1, jobs: []int{1, 2}}
	b := &Queue{rank: 2, jobs: []int{3}}
	var locked, done sync.WaitGroup
	locked.Add(2)
	done.Add(2)
	between := func() { locked.Done(); locked.Wait() } // both hold their first lock
	if fixed {
		between = func() {}
	}
	go func() { defer done.Done(); Move(a, b, fixed, between) }()
	go func() { defer done.Done(); Move(b, a, fixed, between) }()
	done.Wait()
	return len(a.jobs) + len(b.jobs)
}

func main() {
	fixed := flag.Bool("fixed", false, "run the fixed version")
	flag.Parse()
	fmt.Println("jobs:", run(*fixed))
}
