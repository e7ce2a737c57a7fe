package main

import "fmt"

type B bool
type I int64

func main() {
	a, b := 1, 2
	cb := make(chan B, 4)
	cb <- a == b
	cb <- !(a == b)
	var s uint = 3
	ci := make(chan I, 4)
	ci <- 1 << s
	ci <- -(1 << s)
	fmt.Println(<-cb, <-cb, <-ci, <-ci)
	cb <- true
	var bb B
	bb, ok := <-cb
	fmt.Println(bb, ok)
	type T string
	ct := make(chan T, 2)
	ct <- "x"
	y := "y"
	_ = y
	fmt.Println(<-ct)
}
