package main

import "fmt"

type Box[T any] struct{ ch chan T }

func (b *Box[E]) put(v E)         { b.ch <- v }
func (b *Box[E]) get() E          { v := <-b.ch; return v }
func (b *Box[E]) get2() (E, bool) { v, ok := <-b.ch; return v, ok }

type Ch[T any] chan T

func f[T ~int](c chan T) T {
	c <- 1
	var x T
	x = <-c
	return x
}

func g[T any](c Ch[T], v T) T {
	c <- v
	r := <-c
	return r
}

func h[T any, C ~chan T](c C, v T) T {
	c <- v
	r := <-c
	return r
}

func main() {
	b := &Box[string]{make(chan string, 2)}
	b.put("a")
	fmt.Println(b.get())
	b.put("b")
	fmt.Println(b.get2())
	fmt.Println(f(make(chan int, 1)))
	fmt.Println(g(make(Ch[float64], 1), 2.5))
	fmt.Println(h(make(chan int, 1), 7))
	type A = chan int
	var a A = make(A, 1)
	a <- 3
	z := <-a
	fmt.Println(z)
	var so chan<- int = a
	so <- 4
	var ro <-chan int = a
	z2, ok := <-ro
	fmt.Println(z2, ok)
}
