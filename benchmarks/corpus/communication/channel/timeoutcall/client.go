package timeoutcall

import (
	"errors"
	"math/rand"
	"time"
)

var ErrTimeout = errors.New("call timed out")

type Client struct {
	Timeout  time.Duration
	Buffered bool // the fix
}

func (c *Client) backend(req string) string {
	time.Sleep(time.Duration(rand.Intn(3000)) * time.Microsecond)
	return "reply:" + req
}

func (c *Client) Call(req string) (string, error) {
	size := 0
	if c.Buffered {
		size = 1
	}
	reply := make(chan string, size)
	go func() {
		reply <- c.backend(req) // BUG when unbuffered: blocks forever after a timeout
	}()
	select {
	case r := <-reply:
		return r, nil
	case <-time.After(c.Timeout):
		return "", ErrTimeout
	}
}
