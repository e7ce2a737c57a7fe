package main

import "fmt"

func main() {
	// ch reassigned by the value expression
	ch1 := make(chan int, 1)
	ch2 := make(chan int, 1)
	ch := ch1
	ch <- func() int { ch = ch2; return 1 }()
	fmt.Println("send order", len(ch1), len(ch2))
}
