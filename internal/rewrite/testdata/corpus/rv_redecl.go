package main

import (
	"fmt"
	"time"
)

func main() {
	ch := make(chan int)
	v := 1
	go func() {
		time.Sleep(50 * time.Millisecond)
		ch <- v + 100
	}()
	v, ok := <-ch
	fmt.Println(v, ok)
}
