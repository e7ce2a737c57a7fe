package main

import "fmt"

func drain[C ~chan T, T any](c C) []T {
	var out []T
	for v := range c {
		out = append(out, v)
	}
	return out
}

func fill[C ~chan T, T any](c C, vs ...T) {
	for _, v := range vs {
		c <- v
	}
	close(c)
}

func first[T any, C interface{ ~chan T | ~<-chan T }](c C) (T, bool) {
	v, ok := <-c
	return v, ok
}

func sel[T any](a, b chan T, v T) string {
	select {
	case x := <-a:
		return fmt.Sprint("a ", x)
	case b <- v:
		return "b sent"
	}
}

type Queue[T any] struct{ ch chan T }

func (q *Queue[T]) Put(v T)      { q.ch <- v }
func (q *Queue[T]) Get() T       { return <-q.ch }
func (q *Queue[T]) Chan() chan T { return q.ch }
func (q *Queue[T]) Try() (v T, ok bool) {
	select {
	case v = <-q.ch:
		return v, true
	default:
		return v, false
	}
}

type named chan string

func main() {
	c := make(chan int, 3)
	fill(c, 1, 2, 3)
	fmt.Println(drain(c))
	n := make(named, 1)
	n <- "x"
	fmt.Println(first[string](n))
	close(n)
	fmt.Println(first[string](n))
	a, b := make(chan float64, 1), make(chan float64, 1)
	a <- 1.5
	b <- 0 // full: only a is ready
	fmt.Println(sel(a, b, 2.5))
	<-b // empty: only b is ready
	fmt.Println(sel(a, b, 2.5))
	q := &Queue[[]byte]{ch: make(chan []byte, 1)}
	q.Put([]byte("hi"))
	fmt.Println(string(q.Get()))
	fmt.Println(q.Try())
	q.Chan() <- []byte("via method")
	v, ok := q.Try()
	fmt.Println(string(v), ok)
	get := q.Get // method value
	q.Put([]byte("mv"))
	fmt.Println(string(get()))
}
