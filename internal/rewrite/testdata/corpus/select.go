package main

import "fmt"

type rec struct{ f int }

func ch(name string, c chan int) chan int { fmt.Println("eval chan", name); return c }
func val(name string, v int) int          { fmt.Println("eval val", name); return v }

var m = map[string]int{}

func key(k string) string { fmt.Println("eval key", k); return k }

func main() {
	ready := make(chan int, 1)
	var never chan int
	ready <- 1
	// Only one case can proceed; every operand is evaluated once, in order.
	select {
	case v := <-ch("never", never):
		fmt.Println("never", v)
	case ch("never2", never) <- val("send", 2):
		fmt.Println("sent")
	case v, ok := <-ch("ready", ready):
		fmt.Println("got", v, ok)
	}
	// Default taken: operands still evaluated.
	select {
	case <-ch("empty", ready):
		fmt.Println("no")
	case ch("nil", never) <- val("x", 3):
		fmt.Println("no")
	default:
		fmt.Println("default")
	}
	// Assignment to arbitrary lvalues: evaluated only when the case runs.
	var r rec
	var ok bool
	ready <- 4
	select {
	case r.f, ok = <-ready:
		fmt.Println("field", r.f, ok)
	case m[key("no")] = <-never:
	}
	ready <- 5
	select {
	case m[key("yes")] = <-ready:
		fmt.Println("map", m)
	case r.f = <-never:
	}
	// Receive from a closed channel.
	closed := make(chan int)
	close(closed)
	select {
	case v, ok := <-closed:
		fmt.Println("closed", v, ok)
	}
	// Blank assignments.
	ready <- 6
	select {
	case _, ok = <-ready:
		fmt.Println("blank", ok)
	}
	ready <- 7
	select {
	case _ = <-ready:
		fmt.Println("blank2")
	}
	// Blocking select that a goroutine unblocks.
	out := make(chan string)
	go func() { out <- "hello" }()
	select {
	case s := <-out:
		fmt.Println("blocking", s)
	case <-never:
	}
	// Blocking send.
	in := make(chan int)
	go func() { fmt.Println("received", <-in); out <- "bye" }()
	select {
	case in <- val("blocking send", 8):
	}
	fmt.Println(<-out)
	// Relay: receive in a send value is evaluated on entry.
	src := make(chan int, 1)
	dst := make(chan int, 1)
	src <- 9
	select {
	case dst <- <-src:
		fmt.Println("relayed", <-dst)
	}
	// Untyped constants and nil sends.
	var i64 = make(chan int64, 1)
	select {
	case i64 <- 1 << 2:
		fmt.Println("const", <-i64)
	}
	errs := make(chan error, 1)
	select {
	case errs <- nil:
		fmt.Println("nil sent", <-errs)
	}
	// break inside a case leaves the select.
	ready <- 10
	select {
	case v := <-ready:
		if v == 10 {
			fmt.Println("break")
			break
		}
		fmt.Println("not reached")
	}
	// Select with only a default.
	select {
	default:
		fmt.Println("only default")
	}
	fmt.Println("sum", sum(3))
}

// A select that is the terminating statement of a function.
func sum(n int) int {
	c := make(chan int, 1)
	c <- n
	select {
	case v := <-c:
		return v * 2
	case c <- 1:
		return -1
	}
}
