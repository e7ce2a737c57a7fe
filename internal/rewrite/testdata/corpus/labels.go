package main

import "fmt"

func main() {
	c := make(chan int, 10)
	for i := range 6 {
		c <- i
	}
	// Labelled break and continue of an outer loop from a select.
Outer:
	for {
		select {
		case v := <-c:
			if v%2 == 0 {
				continue Outer
			}
			if v == 5 {
				break Outer
			}
			fmt.Println("odd", v)
		}
	}
	// A label on the select itself.
	c <- 1
Sel:
	select {
	case v := <-c:
		if v == 1 {
			fmt.Println("break Sel")
			break Sel
		}
		fmt.Println("no")
	}
	// goto a label on a select, and break it.
	n := 0
Again:
	select {
	case c <- n:
		n++
		if n < 3 {
			goto Again
		}
		if n == 3 {
			break Again
		}
	}
	fmt.Println("after goto", n, len(c))
	// goto out of a select body.
	select {
	case v := <-c:
		if v == 0 {
			goto Done
		}
	}
	fmt.Println("not reached")
Done:
	fmt.Println("done")
	// goto within a case body.
	c <- 7
	select {
	case v := <-c:
		k := 0
	loop:
		if k < v {
			k++
			goto loop
		}
		fmt.Println("k", k)
	}
	// Unlabelled break inside a for inside a select.
	c <- 2
	select {
	case v := <-c:
		for j := 0; ; j++ {
			if j == v {
				break
			}
		}
		fmt.Println("inner break", v)
	}
	// Unlabelled continue in a select continues the loop.
	for i := 0; i < 3; i++ {
		c <- i
		select {
		case v := <-c:
			if v == 1 {
				continue
			}
			fmt.Println("loop", v)
		}
	}
}
