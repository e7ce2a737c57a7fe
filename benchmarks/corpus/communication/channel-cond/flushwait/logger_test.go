package flushwait

import (
	"fmt"
	"math/rand"
	"testing"
)

func TestBug(t *testing.T) {
	l := NewLogger()
	for i := 0; i < rand.Intn(3); i++ {
		l.Log(fmt.Sprint("request ", i))
	}
	l.Flush()
	l.Close()
	for range l.Sink {
	}
}

func TestFixed(t *testing.T) {
	l := NewLogger()
	drained := make(chan int)
	go func() { // the sink is drained concurrently
		n := 0
		for range l.Sink {
			n++
		}
		drained <- n
	}()
	for i := 0; i < rand.Intn(3); i++ {
		l.Log(fmt.Sprint("request ", i))
	}
	l.Flush()
	l.Close()
	<-drained
}
