package main

import "fmt"

type T int

func main() {
	ch := make(chan T, 4)
	{
		type T string
		ch <- 5
		var t T = "s"
		fmt.Println(t)
	}
	x := <-ch
	fmt.Printf("%T %v\n", x, x)
	// x := <-x style
	cc := make(chan chan int, 1)
	in := make(chan int, 1)
	in <- 9
	cc <- in
	{
		cc := <-cc
		cc2 := <-cc
		fmt.Println(cc2)
	}
	// local types and closures
	type loc struct{ a int }
	lc := make(chan loc, 1)
	lc <- loc{3}
	l, ok := <-lc
	fmt.Println(l, ok)
	var any1 any
	ic := make(chan int, 1)
	ic <- 4
	any1, ok = <-ic
	fmt.Printf("%T %v\n", any1, any1)
	any1 = nil
	ic <- 5
	any1, ok2 := <-ic
	fmt.Printf("%T %v %v\n", any1, any1, ok2)
}
