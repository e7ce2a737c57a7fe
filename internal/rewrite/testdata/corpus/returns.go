package main

import "fmt"

// return <-ch: named results, defers that read and change them, result
// types the element is assigned to, generics, closed channels.

func named(c chan int) (v int) {
	defer func() { v *= 10 }()
	return <-c
}

func iface(c chan int) fmt.Stringer {
	return <-chanOf(c)
}

type num int

func (n num) String() string { return fmt.Sprint("num ", int(n)) }

func chanOf(c chan int) chan num {
	out := make(chan num, 1)
	out <- num(<-c)
	return out
}

func generic[T any](c chan T) T { return <-c }

func closed() (int, string) {
	c := make(chan int)
	close(c)
	f := func() int { return <-c }
	return f(), "closed"
}

func main() {
	c := make(chan int, 4)
	c <- 1
	c <- 2
	c <- 3
	fmt.Println("named", named(c))
	fmt.Println("iface", iface(c))
	s := make(chan string, 1)
	s <- "g"
	fmt.Println("generic", generic(s), generic(c))
	fmt.Println(closed())
}
