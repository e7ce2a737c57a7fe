package main

// Goroutines blocked in channel statements have the function that holds
// the statement on top of their stacks, rewritten or not: goroutine dumps
// read the same, and goleak.IgnoreTopFunction keeps matching them.

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"time"
)

//go:noinline
func recvStmt(c chan int) { <-c }

//go:noinline
func recvParen(c chan int) { (<-c) }

//go:noinline
func recvAssign(c chan int) { var v int; v = <-c; _ = v }

//go:noinline
func recvDefine(c chan int) { v := <-c; _ = v }

//go:noinline
func recvCommaOK(c chan int) { v, ok := <-c; _, _ = v, ok }

//go:noinline
func recvAssignOK(c chan int) { var v int; var ok bool; v, ok = <-c; _, _ = v, ok }

//go:noinline
func recvDirectional(c <-chan int) { <-c }

//go:noinline
func sendStmt(c chan int) { c <- 1 }

//go:noinline
func sendConst(c chan float64) { c <- 1 }

//go:noinline
func sendIface(c chan any) { c <- "x" }

//go:noinline
func recvReturn(c chan int) int { return <-c }

//go:noinline
func recvReturnAny(c chan int) any { return (<-c) }

//go:noinline
func rangeDefine(c chan int) {
	for v := range c {
		_ = v
	}
}

//go:noinline
func rangeBare(c chan int) {
	for range c {
	}
}

//go:noinline
func rangeAssign(c chan int) {
	var v int
	for v = range c {
	}
	_ = v
}

//go:noinline
func inCase(c chan int, k int) {
	switch k {
	case 1:
		<-c
	}
}

// blockedTops returns, sorted, the top function of every goroutine blocked
// on a channel whose top function is in package main.
func blockedTops() []string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var tops []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		lines := strings.Split(g, "\n")
		if len(lines) < 2 || !(strings.Contains(lines[0], "[chan ") || strings.Contains(lines[0], "[select")) {
			continue // not blocked on a channel (yet)
		}
		fn := lines[1]
		if i := strings.LastIndexByte(fn, '('); i > 0 {
			fn = fn[:i]
		}
		if strings.HasPrefix(fn, "main.") && fn != "main.main" && fn != "main.blockedTops" {
			tops = append(tops, fn)
		}
	}
	slices.Sort(tops)
	return tops
}

func main() {
	c := func() chan int { return make(chan int) }
	go recvStmt(c())
	go recvParen(c())
	go recvAssign(c())
	go recvDefine(c())
	go recvCommaOK(c())
	go recvAssignOK(c())
	go recvDirectional(c())
	go inCase(c(), 1)
	go sendStmt(c())
	go sendConst(make(chan float64))
	go sendIface(make(chan any))
	go recvReturn(c())
	go recvReturnAny(c())
	go rangeDefine(c())
	go rangeBare(c())
	go rangeAssign(c())
	const want = 16
	var tops []string
	for i := 0; i < 500; i++ {
		if tops = blockedTops(); len(tops) == want {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	for _, t := range tops {
		fmt.Println(t)
	}
}
