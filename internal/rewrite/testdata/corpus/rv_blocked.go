package main

import (
	"fmt"
	"regexp"
	"runtime"
	"sort"
	"time"
)

func get(c chan int) chan int { return c }

func recvML(c chan int) {
	<-get(
		c,
	)
}

func recvAssignML(c chan int) {
	var v int
	v = <-get(
		c)
	_ = v
}

func sendML(c chan int) {
	get(c) <- len(
		"abc",
	)
}

func rangeML(c chan int) {
	for v := range get(
		c,
	) {
		_ = v
	}
}

func main() {
	for _, f := range []func(chan int){recvML, recvAssignML, sendML, rangeML} {
		go f(make(chan int))
	}
	time.Sleep(100 * time.Millisecond)
	buf := make([]byte, 1<<20)
	n := runtime.Stack(buf, true)
	re := regexp.MustCompile(`\n(main\.[a-zA-Z]+)\(.*\n\t.*main\.go:(\d+)`)
	var res []string
	for _, m := range re.FindAllStringSubmatch(string(buf[:n]), -1) {
		if m[1] != "main.main" {
			res = append(res, m[1]+":"+m[2])
		}
	}
	sort.Strings(res)
	fmt.Println(res)
}
