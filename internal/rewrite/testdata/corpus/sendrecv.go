package main

import "fmt"

type pair struct{ a, b int }

func ch(name string, c chan int) chan int { fmt.Println("eval chan", name); return c }
func val(name string, v int) int          { fmt.Println("eval val", name); return v }
func use(a, b int) int                    { return a*10 + b }

func main() {
	c := make(chan int, 10)
	// Send: channel first, then value, then send.
	ch("c", c) <- val("1", 1)
	c <- 2
	c <- use(3, 4)
	// Receive as statement, in assignments, as call arguments.
	<-c
	v := <-c
	var w int
	w = <-c
	fmt.Println("v", v, "w", w)
	c <- 5
	c <- 6
	fmt.Println("args", use(<-ch("x", c), <-ch("y", c)))
	// Composite literals.
	c <- 7
	c <- 8
	p := pair{<-c, <-c}
	s := []int{0, 0}
	c <- 9
	s[0] = <-c
	fmt.Println("lit", p, s)
	// Comma-ok forms.
	c <- 10
	x, ok := <-c
	fmt.Println("commaok", x, ok)
	c <- 11
	var y, ok2 = <-c
	fmt.Println("var commaok", y, ok2)
	close(c)
	x, ok = <-c
	fmt.Println("closed", x, ok)
	var z, ok3 = <-c
	fmt.Println("var", z, ok3)
	if v, ok := <-c; !ok {
		fmt.Println("if-init", v, ok)
	}
	_, ok = <-c
	fmt.Println("blank", ok)
	// Parenthesised receive.
	x, ok = (<-c)
	fmt.Println("paren", x, ok)
	// Nested: channel of channels.
	cc := make(chan chan int, 1)
	inner := make(chan int, 1)
	inner <- 42
	cc <- inner
	fmt.Println("nested", <-<-cc)
	// Receive in a send value.
	a, b := make(chan int, 1), make(chan int, 1)
	a <- 11
	b <- <-a
	fmt.Println("relay", <-b)
	// Receive in go and defer arguments, in a closure.
	done := make(chan bool)
	d := make(chan int, 1)
	d <- 12
	go func(n int) { fmt.Println("go arg", n); done <- true }(<-d)
	<-done
	func() {
		d <- 13
		defer fmt.Println("defer arg", <-d)
		fmt.Println("in closure")
	}()
	// int64 channel with untyped constant and typed expressions.
	i64 := make(chan int64, 2)
	i64 <- 1 << 3
	var n int32 = 4
	i64 <- int64(n)
	fmt.Println("int64", <-i64, <-i64)
}
