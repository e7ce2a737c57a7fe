package raftcycle

import (
	"fmt"
	"testing"
	"time"
)

func exercise(n *Node) {
	n.Start(200 * time.Microsecond)
	defer n.Stop()
	for i := 0; i < 3000; i++ {
		n.tr.receive(fmt.Sprint("heartbeat-", i))
		n.Propose(fmt.Sprint("entry-", i))
		if i%50 == 0 {
			time.Sleep(100 * time.Microsecond)
		}
	}
}

func TestBug(t *testing.T) { exercise(NewNode()) }

func TestFixed(t *testing.T) { exercise(NewFixedNode()) }
