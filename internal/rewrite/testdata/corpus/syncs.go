package main

import (
	"fmt"
	s "sync"
)

type counter struct {
	mu s.Mutex
	n  int
}

func main() {
	var c counter
	var wg s.WaitGroup
	results := make(chan int, 10)
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.mu.Lock()
			c.n += i
			c.mu.Unlock()
			results <- i
		}()
	}
	wg.Wait()
	close(results)
	sum := 0
	for v := range results {
		sum += v
	}
	var once s.Once
	for range 3 {
		once.Do(func() { fmt.Println("once") })
	}
	var rw s.RWMutex
	rw.RLock()
	rw.RUnlock()
	fmt.Println("n", c.n, "sum", sum)
}
