// Command inline calls chanwatch's operations so that
// TestIntendedInlining can see whether the compiler inlines them here.
package main

import "github.com/gridlock-go/gridlock/chanwatch"

func main() {
	ch := make(chan int, 1)
	chanwatch.Send(ch, 1)
	println(chanwatch.Recv(ch))
}
