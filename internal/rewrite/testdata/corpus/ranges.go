package main

import "fmt"

func gen(n int) chan int {
	c := make(chan int)
	go func() {
		defer close(c)
		for i := range n {
			c <- i
		}
	}()
	return c
}

func find(c chan int, want int) (int, bool) {
	for v := range c {
		if v == want {
			return v, true
		}
	}
	return 0, false
}

func main() {
	for v := range gen(3) {
		fmt.Println("v", v)
	}
	n := 0
	for range gen(4) {
		n++
	}
	fmt.Println("count", n)
	var last int
	for last = range gen(5) {
	}
	fmt.Println("last", last)
	// break, continue, labelled continue, goto out of the loop.
	c := gen(10)
	for v := range c {
		if v == 1 {
			continue
		}
		if v == 3 {
			break
		}
		fmt.Println("bc", v)
	}
	for range c { // drain
	}
Outer:
	for i := range 2 {
		for v := range gen(3) {
			if v == 1 {
				continue Outer
			}
			fmt.Println("outer", i, v)
		}
	}
	for v := range gen(5) {
		if v == 2 {
			goto out
		}
		fmt.Println("goto", v)
	}
out:
	fmt.Println(find(gen(5), 3))
	// defer inside a range body runs at function exit.
	func() {
		for v := range gen(2) {
			defer fmt.Println("deferred", v)
		}
		fmt.Println("loop done")
	}()
	// Per-iteration variables captured by closures.
	var fs []func() int
	for v := range gen(3) {
		fs = append(fs, func() int { return v })
	}
	for _, f := range fs {
		fmt.Println("captured", f())
	}
	// Panics propagate out of the loop.
	func() {
		defer func() { fmt.Println("recovered", recover()) }()
		for v := range gen(3) {
			if v == 1 {
				panic("boom")
			}
		}
	}()
}
