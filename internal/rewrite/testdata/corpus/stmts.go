package main

import (
	"errors"
	"fmt"
)

func sendRecv[C ~chan E, E any](c C, v E) E {
	select {
	case c <- v:
	}
	var got E
	select {
	case got = <-c:
	}
	return got
}

type opErr struct{ op string }

func (e *opErr) Error() string { return e.op }

func main() {
	c := make(chan int, 10)
	// Send in a for post statement and an if init.
	for i := 0; i < 3; c <- i {
		i++
	}
	if c <- 10; len(c) > 0 {
		fmt.Println("len", len(c))
	}
	// Receive in a switch tag and in case expressions.
	switch <-c {
	case 1:
		fmt.Println("tag 1")
	}
	switch x := 2; x {
	case <-c:
		fmt.Println("case matched 2")
	}
	// Selects nested in selects and in switches.
	d := make(chan string, 1)
	d <- "inner"
	select {
	case v := <-c:
		switch {
		case v > 0:
			select {
			case s := <-d:
				fmt.Println("nested", v, s)
			default:
				fmt.Println("no inner")
			}
		}
	}
	var e any = 5
	switch e := e.(type) {
	case int:
		c <- e
		select {
		case v := <-c:
			fmt.Println("type switch", v)
		}
	}
	// Select in a closure that returns.
	get := func() (int, error) {
		select {
		case v := <-c:
			return v, nil
		default:
			return 0, errors.New("empty")
		}
	}
	fmt.Println(get())
	// Generic channel type parameters in a select.
	fmt.Println(sendRecv(make(chan string, 1), "generic"))
	type ch2 chan [2]int
	fmt.Println(sendRecv(make(ch2, 1), [2]int{1, 2}))
	// Error interface element with a concrete pointer value.
	errs := make(chan error, 2)
	errs <- &opErr{"direct"}
	select {
	case errs <- &opErr{"select"}:
	}
	fmt.Println(<-errs, <-errs)
	// A goroutine blocked in select {} forever, and a labelled break out
	// of a select from a nested for.
	go func() { select {} }()
	c <- 1
	c <- 2
Out:
	select {
	case v := <-c:
		for i := 0; ; i++ {
			if i == v {
				break Out
			}
		}
	}
	fmt.Println("left", len(c))
	// Many cases, some nil, mixed sends and receives with one ready.
	var nc chan int
	r := make(chan int, 1)
	r <- 99
	for range 2 {
		select {
		case nc <- 1:
		case <-nc:
		case v, ok := <-r:
			fmt.Println("ready", v, ok)
		case nc <- 2:
		default:
			fmt.Println("none ready")
		}
	}
}
