package main

import (
	"fmt"
	"runtime"
	"strings"
)

func where() string {
	pc := make([]uintptr, 40)
	n := runtime.Callers(0, pc)
	fr := runtime.CallersFrames(pc[:n])
	seen := false
	out := ""
	for {
		f, more := fr.Next()
		if f.Function == "runtime.gopanic" {
			seen = true
		} else if seen && strings.HasPrefix(f.Function, "main.") {
			out += fmt.Sprint(f.Function, ":", f.Line, " ")
		}
		if !more {
			return out
		}
	}
}

func val(x int) int { return x }

func main() {
	ch := make(chan int, 1)
	close(ch)
	func() {
		defer func() { fmt.Println(recover(), where()) }()
		ch <- val(
			1,
		)
	}()
	func() {
		defer func() { fmt.Println(recover(), where()) }()
		ch <- 2
	}()
	v, ok := <-ch
	fmt.Println(v, ok)
	<-ch
	var m map[string]chan int
	func() {
		defer func() { fmt.Println(recover(), where()) }()
		m["a"] <- 1 / len(m)
	}()
	var p *struct{ c chan int }
	func() {
		defer func() { fmt.Println(recover() != nil, where()) }()
		<-p.c
	}()
	func() {
		defer func() { fmt.Println(recover() != nil, where()) }()
		x := <-p.c
		_ = x
	}()
	func() {
		defer func() { fmt.Println(recover() != nil, where()) }()
		for x := range p.c {
			_ = x
		}
	}()
}
