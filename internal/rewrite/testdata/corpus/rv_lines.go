package main

import (
	"fmt"
	"runtime"
)

func line() int { _, _, l, _ := runtime.Caller(1); return l }

func main() {
	ch := make(chan int, 4)
	ch <- 1
	ch <- 2
	ch <- 3
	v :=
		<-ch
	fmt.Println("after define", v, line())
	var w, ok = 0, false
	w, ok =
		<-ch
	fmt.Println("after assign", w, ok, line())
	ch <- 7 +
		0
	fmt.Println("after send", line())
	x,
		y := <-ch
	fmt.Println("after split lhs", x, y, line())
	close(ch)
	for k := range map[bool]chan int{
		true: ch,
	}[true] {
		fmt.Println("in range", k, line())
	}
	fmt.Println("end", line())
}
