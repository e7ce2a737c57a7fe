package main

import (
	"fmt"
	"runtime"
)

func line() int { _, _, l, _ := runtime.Caller(1); return l }

func pick(name string,
	c chan int) chan int {
	return c
}

func main() {
	c := make(chan int, 1)
	c <- 1
	fmt.Println("before", line())
	select {
	case v := <-pick(
		"multi-line operand",
		c,
	):
		fmt.Println("body", v, line())
	case c <- func() int {
		return 2
	}():
		fmt.Println("send", line())
	}
	fmt.Println("after", line())
	c <- 3
L:
	select {
	case v := <-c: // comment
		fmt.Println("labelled", v, line())
		break L
	}
	fmt.Println("end", line())
	defer func() { recover(); fmt.Println("recovered at", line()) }()
	var never chan int
	go func() { select {} }()
	select {
	case <-never:
	default:
		fmt.Println("default", line())
	}
}
