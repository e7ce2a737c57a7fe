// Command earlyreturn streams log lines from a reader goroutine to a
// consumer; on a read error the reader returns without closing the channel,
// so the consumer's range waits forever for a line or a close that never
// comes. With -fixed the reader closes the channel with defer.
package main

import (
	"errors"
	"flag"
	"fmt"
)

func readLine(i int) (string, error) {
	if i == 3 {
		return "", errors.New("connection reset")
	}
	return fmt.Sprintf("line %d", i), nil
}

// Stream sends lines until a read fails.
func Stream(out chan<- string, fixed bool) {
	if fixed {
		defer close(out)
	}
	for i := 0; ; i++ {
		line, err := readLine(i)
		if err != nil {
			return // the bug: out is never closed
		}
		out <- line
	}
}

// Count consumes the stream.
func Count(in <-chan string) int {
	n := 0
	for range in {
		n++
	}
	return n
}

func run(fixed bool) int {
	ch := make(chan string)
	go Stream(ch, fixed)
	return Count(ch)
}

func main() {
	fixed := flag.Bool("fixed", false, "run the fixed version")
	flag.Parse()
	fmt.Println("lines:", run(*fixed))
}
