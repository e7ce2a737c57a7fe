package main

import "fmt"

func gen(n int) chan int {
	c := make(chan int, n)
	for i := range n {
		c <- i
	}
	close(c)
	return c
}

type RO <-chan int
type NC chan string

func first(c chan int) int {
	for v := range c {
		if v > 0 {
			return v
		}
	}
	return -1
}

func main() {
	var fs []func() int
	for k := range gen(3) {
		fs = append(fs, func() int { return k })
	}
	for _, f := range fs {
		fmt.Print(f(), " ")
	}
	fmt.Println()
	var k int
	for k = range gen(4) {
	}
	fmt.Println("k", k)
	n := 0
	for range gen(5) {
		n++
	}
	for _ = range gen(2) {
		n++
	}
	fmt.Println("n", n)
L:
	for k := range gen(6) {
		for j := range gen(3) {
			if j == 1 {
				continue L
			}
			if k == 4 {
				break L
			}
			fmt.Print(k, j, " ")
		}
	}
	fmt.Println()
	for k := range gen(3) {
		k := k * 10
		fmt.Print(k, " ")
	}
	fmt.Println()
	i := 0
loop:
	for k := range gen(5) {
		if k == 2 {
			goto out
		}
		i++
	}
	goto loop
out:
	fmt.Println("i", i)
	var r RO = gen(2)
	for v := range r {
		fmt.Print(v)
	}
	ns := make(NC, 2)
	ns <- "a"
	ns <- "b"
	close(ns)
	for v := range ns {
		fmt.Print(v)
	}
	fmt.Println()
	switch x := 1; x {
	case 1:
		for v := range gen(3) {
			if v == 1 {
				break
			}
			fmt.Println("sw", v)
		}
		fmt.Println("after sw loop")
	}
	c := make(chan int, 1)
	c <- 1
	select {
	case <-c:
		for v := range gen(3) {
			if v == 2 {
				break
			}
			fmt.Println("sel", v)
		}
	}
	fmt.Println(first(gen(4)))
	var defers []int
	func() {
		for v := range gen(3) {
			defer func() { defers = append(defers, v) }()
		}
	}()
	fmt.Println(defers)
	// goto backwards inside body
	for v := range gen(2) {
		cnt := 0
	again:
		cnt++
		if cnt < 3 {
			goto again
		}
		fmt.Println("cnt", v, cnt)
	}
	// range expr mentions k shadowed
	kk := gen(2)
	for kk := range kk {
		fmt.Println("kk", kk)
	}
	// nested range with panic recovery
	func() {
		defer func() { fmt.Println("recovered", recover()) }()
		for v := range gen(3) {
			if v == 1 {
				panic(fmt.Sprint("p", v))
			}
		}
	}()
}
