package main

import (
	"errors"
	"fmt"
)

type Ch[T any] chan T

func sum[T ~int](c Ch[T]) (s T) {
	for v := range c {
		s += v
	}
	return
}

func sum2[T ~int](c <-chan T) (s T) {
	for v := range c {
		s += v
	}
	return
}

func find(c chan int) (r int) {
	defer func() { r *= 2 }()
	for v := range c {
		if v == 2 {
			return v
		}
	}
	return -1
}

type MyErr struct{}

func (MyErr) Error() string { return "my" }

func main() {
	c := make(Ch[int], 3)
	c <- 1
	c <- 2
	c <- 3
	close(c)
	fmt.Println(sum(c))
	d := make(chan int, 3)
	d <- 4
	d <- 5
	close(d)
	fmt.Println(sum2(d))
	e := make(chan int, 3)
	e <- 1
	e <- 2
	e <- 3
	fmt.Println(find(e), len(e))
	// break L from inside a select in the body
	f := make(chan int, 5)
	for i := range 5 {
		f <- i
	}
	close(f)
	t := make(chan bool, 1)
L:
	for v := range f {
		t <- true
		select {
		case <-t:
			if v == 2 {
				break L
			}
			fmt.Print(v, " ")
		}
	}
	fmt.Println(len(f))
	// errors interface channel: send concrete, receive into error var
	ec := make(chan error, 2)
	ec <- MyErr{}
	var err error
	err = <-ec
	fmt.Println(errors.Is(err, MyErr{}))
	ec <- nil
	err2 := <-ec
	fmt.Println(err2 == nil)
	// send of a func and closure capturing loop var through channel
	fc := make(chan func() int, 3)
	for i := range 3 {
		fc <- func() int { return i }
	}
	close(fc)
	for fn := range fc {
		fmt.Print(fn(), " ")
	}
	fmt.Println()
	// range var address identity per iteration
	pc := make(chan int, 3)
	pc <- 1
	pc <- 2
	close(pc)
	var ps []*int
	for v := range pc {
		ps = append(ps, &v)
	}
	fmt.Println(ps[0] != ps[1], *ps[0], *ps[1])
	// receive in a case clause of a type switch
	var x any = make(chan string, 1)
	switch y := x.(type) {
	case chan string:
		y <- "ts"
		s := <-y
		fmt.Println(s)
	}
	// statement list in a CommClause body
	g := make(chan int, 2)
	g <- 1
	select {
	case <-g:
		g <- 2
		v, ok := <-g
		fmt.Println("comm", v, ok)
	}
	// array element chan, struct field chan, map element chan
	arr := [2]chan int{make(chan int, 1), make(chan int, 1)}
	i := 0
	arr[i] <- 10
	w := <-arr[i]
	type S struct{ c chan int }
	s := &S{make(chan int, 1)}
	s.c <- 11
	w2, ok := <-s.c
	m := map[string]chan int{"a": make(chan int, 1)}
	m["a"] <- 12
	w3 := <-m["a"]
	fmt.Println(w, w2, ok, w3)
	// chan of chan, parenthesised forms
	cc := make(chan chan<- int, 1)
	tgt := make(chan int, 1)
	cc <- tgt
	(<-cc) <- 13
	(<-tgt)
	tgt <- 14
	z := (<-tgt)
	fmt.Println(z)
}
