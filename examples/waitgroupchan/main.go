// Command waitgroupchan runs a worker pool: workers send results on an
// unbuffered channel and the coordinator waits for all workers (wg.Wait)
// before it starts reading the results. The first worker's send blocks, so
// its Done never comes and Wait never returns. With -fixed the coordinator
// reads results while a helper goroutine waits and closes the channel.
package main

import (
	"flag"
	"fmt"
	"sync"
)

func work(i int) int { return i * i }

// Sum runs n workers and sums their results.
func Sum(n int, fixed bool) int {
	results := make(chan int)
	var wg sync.WaitGroup
	for i := 1; i <= n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- work(i)
		}()
	}
	if fixed {
		go func() { wg.Wait(); close(results) }()
	} else {
		wg.Wait() // the bug: nobody reads results yet
		close(results)
	}
	total := 0
	for r := range results {
		total += r
	}
	return total
}

func run(fixed bool) int { return Sum(3, fixed) }

func main() {
	fixed := flag.Bool("fixed", false, "run the fixed version")
	flag.Parse()
	fmt.Println("sum:", run(*fixed))
}
