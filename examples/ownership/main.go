// Command ownership writes log lines through a channel that only its writer
// goroutine may receive from (it keeps the output's order and buffering),
// so the channel is declared single-receiver with chanwatch.Own. Close was
// written later: it stops the writer and drains what is left itself, from
// another goroutine, a second receiver the design rules out (with two
// receivers lines can be written out of order). gridlock reports the second
// receiver with the stacks of both. With -fixed the writer drains before it
// exits.
package main

import (
	"flag"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/gridlock-go/gridlock/chanwatch"
)

type Logger struct {
	lines chan string
	stop  chan struct{}
	done  chan struct{}
	mu    sync.Mutex
	out   strings.Builder
	fixed bool
}

func NewLogger(fixed bool) *Logger {
	l := &Logger{lines: make(chan string, 64), stop: make(chan struct{}), done: make(chan struct{}), fixed: fixed}
	chanwatch.Own(l.lines, chanwatch.SingleReceiver) // only the writer receives
	go l.writer()
	return l
}

func (l *Logger) write(s string) {
	time.Sleep(time.Millisecond) // a slow disk
	l.mu.Lock()
	l.out.WriteString(s + "\n")
	l.mu.Unlock()
}

func (l *Logger) drain() {
	for len(l.lines) > 0 {
		l.write(<-l.lines)
	}
}

// writer is the one receiver of lines.
func (l *Logger) writer() {
	defer close(l.done)
	for {
		select {
		case s := <-l.lines:
			l.write(s)
		case <-l.stop:
			if l.fixed {
				l.drain()
			}
			return
		}
	}
}

func (l *Logger) Printf(format string, args ...any) { l.lines <- fmt.Sprintf(format, args...) }

// Close writes out what is queued and stops the writer.
func (l *Logger) Close() {
	close(l.stop)
	<-l.done
	if !l.fixed {
		l.drain() // the bug: a second receiver
	}
}

func run(fixed bool) string {
	l := NewLogger(fixed)
	l.Printf("started")
	time.Sleep(10 * time.Millisecond) // the writer is running
	for i := range 19 {
		l.Printf("line %d", i)
	}
	l.Close()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.out.String()
}

func main() {
	fixed := flag.Bool("fixed", false, "run the fixed version")
	flag.Parse()
	fmt.Print(run(*fixed))
}
