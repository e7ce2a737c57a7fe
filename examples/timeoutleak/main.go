// Command timeoutleak calls a slow backend with a deadline: Call starts the
// request on a goroutine and waits for its reply or the deadline. When the
// deadline wins, nobody ever receives the reply, and the goroutine blocks
// forever on its send: one leaked goroutine per timed-out call. The test
// passes; gridlock reports the wait still blocked when the tests end. With
// -fixed the reply channel has room for the one reply.
package main

import (
	"errors"
	"flag"
	"fmt"
	"time"
)

func backend(q string) string {
	time.Sleep(20 * time.Millisecond)
	return "reply to " + q
}

// Call returns the backend's reply, or an error after timeout.
func Call(q string, timeout time.Duration, fixed bool) (string, error) {
	reply := make(chan string)
	if fixed {
		reply = make(chan string, 1)
	}
	go func() {
		reply <- backend(q) // blocks for good once Call has given up
	}()
	select {
	case r := <-reply:
		return r, nil
	case <-time.After(timeout):
		return "", errors.New("timeout")
	}
}

func main() {
	fixed := flag.Bool("fixed", false, "run the fixed version")
	flag.Parse()
	fmt.Println(Call("q", time.Millisecond, *fixed))
	time.Sleep(50 * time.Millisecond)
}
