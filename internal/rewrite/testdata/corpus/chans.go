package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

type server struct{ reqs chan chan string }

func (s *server) Requests() chan chan string { return s.reqs }

func producer(out chan<- int, n int) {
	defer close(out)
	for i := range n {
		out <- i
	}
}

func consumer(in <-chan int, done chan<- int) {
	sum := 0
	for v := range in {
		sum += v
	}
	done <- sum
}

type Bool bool

func main() {
	// Directional channels.
	c := make(chan int)
	done := make(chan int)
	go producer(c, 5)
	go consumer(c, done)
	fmt.Println("sum", <-done)
	// Channel of channels, method as channel operand.
	s := &server{reqs: make(chan chan string)}
	go func() {
		for r := range s.Requests() {
			r <- "reply"
		}
	}()
	reply := make(chan string)
	s.Requests() <- reply
	fmt.Println(<-reply)
	reqs := s.Requests // method value
	select {
	case reqs() <- reply:
	}
	select {
	case r := <-reply:
		fmt.Println("select reply", r)
	}
	close(s.reqs)
	// chan<- <-chan int and friends.
	ro := make(chan (<-chan int), 1)
	inner := make(chan int, 1)
	inner <- 3
	ro <- inner
	select {
	case in := <-ro:
		fmt.Println("ro", <-in)
	}
	var so chan<- chan<- int = make(chan chan<- int, 1)
	so <- make(chan int)
	fmt.Println("so ok")
	// Interface element type: the value's type differs.
	rs := make(chan io.Reader, 2)
	rs <- strings.NewReader("abc")
	select {
	case rs <- os.Stdin:
	}
	r := <-rs
	b, _ := io.ReadAll(r)
	fmt.Println("reader", string(b))
	// Named bool element and untyped comparison results.
	bs := make(chan Bool, 2)
	x := 3
	bs <- x > 2
	select {
	case bs <- x < 2:
	}
	fmt.Println("bools", <-bs, <-bs)
	// Types from another package, and one the file does not import.
	ds := make(chan time.Duration, 1)
	select {
	case ds <- 2 * time.Second:
	}
	select {
	case d := <-ds:
		fmt.Println("duration", d)
	}
	fi, _ := os.Stdin.Stat()
	fis := mk(fi)
	fis <- fi
	select {
	case got := <-fis:
		fmt.Println("fileinfo", got != nil)
	}
	// A shadowed element type name: not nameable at the select.
	type T int
	ts := make(chan T, 1)
	ts <- 5
	{
		T := "shadow"
		select {
		case v := <-ts:
			fmt.Println("shadowed", v, T)
		}
	}
	// Anonymous struct and func element types.
	as := make(chan struct{ A, B int }, 1)
	as <- struct{ A, B int }{1, 2}
	select {
	case v := <-as:
		fmt.Println("struct", v.A+v.B)
	}
	fs := make(chan func(int) string, 1)
	fs <- func(i int) string { return fmt.Sprint("f", i) }
	select {
	case f := <-fs:
		fmt.Println(f(7))
	}
	// Closures capturing channels, defer close.
	res := make(chan string, 3)
	func() {
		defer close(res)
		for _, w := range []string{"a", "b"} {
			func() { res <- w }()
		}
	}()
	for w := range res {
		fmt.Println("closure", w)
	}
	// Timer channel.
	select {
	case <-time.After(time.Millisecond):
		fmt.Println("timer")
	}
}

func mk[T any](v T) chan T { return make(chan T, 1) }
