// Command inline locks a detect.Mutex so that TestIntendedInlining can see
// whether the compiler inlines Lock and Unlock here.
package main

import "github.com/gridlock-go/gridlock/detect"

func main() {
	var mu detect.Mutex
	mu.Lock()
	println("locked")
	mu.Unlock()
}
