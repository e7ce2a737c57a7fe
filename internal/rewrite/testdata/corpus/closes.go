package main

import "fmt"

type closer struct{ n int }

func (c *closer) close(x int) { c.n += x }

func main() {
	c := make(chan int, 1)
	go close(c)
	_, ok := <-c
	fmt.Println("go close", ok)
	d := make(chan int)
	func() { defer close(d) }()
	_, ok = <-d
	fmt.Println("defer close", ok)
	{
		close := func(ch chan int) { fmt.Println("shadowed close") }
		close(make(chan int))
	}
	var cl closer
	cl.close(3)
	fmt.Println("method close", cl.n)
	// Closing a closed channel panics as before.
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		close(d)
	}()
	// Sending on a closed channel panics as before, also in a select.
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		d <- 1
	}()
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		select {
		case d <- 1:
		default:
		}
	}()
	// Closing a nil channel panics.
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		var n chan int
		close(n)
	}()
	e := make(chan struct{})
	(close)(e)
	_, ok = <-e
	fmt.Println("paren close", ok)
}
