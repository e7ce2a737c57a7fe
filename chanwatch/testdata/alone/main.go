// Command alone closes a channel twice through chanwatch, importing no
// other gridlock package: GRIDLOCK alone must turn detection on.
package main

import "github.com/gridlock-go/gridlock/chanwatch"

func closeTwice(ch chan int) {
	chanwatch.Close(ch)
	chanwatch.Close(ch)
}

func main() { closeTwice(make(chan int)) }
