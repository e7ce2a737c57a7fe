package raftapply

import (
	"fmt"
	"testing"
	"time"
)

func run(n *Node) {
	stop, done := make(chan struct{}), make(chan struct{})
	go Apply(n, stop, done)
	for i := 0; i < 200; i++ {
		n.Propose(fmt.Sprint("set x=", i))
		if i%10 == 0 {
			time.Sleep(200 * time.Microsecond)
		}
	}
	time.Sleep(time.Millisecond)
	n.Stop()
	close(stop)
	<-done
}

func TestBug(t *testing.T) { run(NewNode(false)) }

func TestFixed(t *testing.T) { run(NewNode(true)) }
