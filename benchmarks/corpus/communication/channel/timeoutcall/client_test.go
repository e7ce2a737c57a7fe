package timeoutcall

import (
	"testing"
	"time"
)

func TestBug(t *testing.T) {
	c := &Client{Timeout: 2 * time.Millisecond}
	for i := 0; i < 5; i++ {
		c.Call("get /users")
	}
}

func TestFixed(t *testing.T) {
	c := &Client{Timeout: 2 * time.Millisecond, Buffered: true}
	for i := 0; i < 5; i++ {
		c.Call("get /users")
	}
	time.Sleep(4 * time.Millisecond) // let slow backends deliver into the buffer
}
