// Command waitgroup fetches pages with a worker per URL; a worker that gets
// an error returns before calling Done, so Wait never returns. gridlock names
// the Add call site whose Done never came. With -fixed, Done is deferred.
package main

import (
	"errors"
	"flag"
	"fmt"
	"sync"
)

func fetch(url string) (int, error) {
	if url == "" {
		return 0, errors.New("empty url")
	}
	return len(url), nil
}

// FetchAll fetches urls concurrently and returns the total size.
func FetchAll(urls []string, fixed bool) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for _, u := range urls {
		wg.Add(1)
		go func() {
			if fixed {
				defer wg.Done()
			}
			n, err := fetch(u)
			if err != nil {
				return // the bug: Done is skipped on the error path
			}
			mu.Lock()
			total += n
			mu.Unlock()
			if !fixed {
				wg.Done()
			}
		}()
	}
	wg.Wait()
	return total
}

func run(fixed bool) int { return FetchAll([]string{"a", "", "abc"}, fixed) }

func main() {
	fixed := flag.Bool("fixed", false, "run the fixed version")
	flag.Parse()
	fmt.Println("bytes:", run(*fixed))
}
