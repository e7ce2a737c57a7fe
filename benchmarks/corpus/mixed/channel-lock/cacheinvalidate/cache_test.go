package cacheinvalidate

import (
	"fmt"
	"testing"
)

func run(c *Cache) {
	done := make(chan struct{})
	peer := map[string]string{}
	go Replicate(c, peer, done)
	for i := 0; i < 200; i++ {
		c.Set(fmt.Sprint("user:", i%10), fmt.Sprint("v", i))
	}
	close(c.Events)
	<-done
}

func TestBug(t *testing.T) { run(New(false)) }

func TestFixed(t *testing.T) { run(New(true)) }
