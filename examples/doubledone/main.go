// Command doubledone uploads files in parallel; a failed upload calls Done
// on its error path, and the deferred Done runs as well, so the WaitGroup's
// counter goes negative and sync panics (here recovered by the worker's
// wrapper; in production it kills the process, or Wait returns before the
// other uploads finish). gridlock reports the Add and both Dones. With
// -fixed the error path only returns.
package main

import (
	"errors"
	"flag"
	"fmt"
	"sync"
)

func upload(name string) error {
	if name == "" {
		return errors.New("empty name")
	}
	return nil
}

// UploadAll uploads every file and returns how many failed.
func UploadAll(names []string, fixed bool) (failed int, panicked bool) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, name := range names {
		wg.Add(1)
		go func() {
			defer func() {
				if recover() != nil {
					mu.Lock()
					panicked = true
					mu.Unlock()
				}
			}()
			defer wg.Done()
			if err := upload(name); err != nil {
				mu.Lock()
				failed++
				mu.Unlock()
				if !fixed {
					wg.Done() // the error path "finishes" the task early
				}
				return
			}
		}()
	}
	wg.Wait()
	return failed, panicked
}

func main() {
	fixed := flag.Bool("fixed", false, "run the fixed version")
	flag.Parse()
	fmt.Println(UploadAll([]string{"a", "", "c"}, *fixed))
}
