package producerctx

import (
	"testing"
	"time"
)

func TestBug(t *testing.T) {
	for i := 0; i < 3; i++ {
		target := randomTarget()
		FindFirst(func(id int) bool { return id == target }, false)
	}
}

func TestFixed(t *testing.T) {
	for i := 0; i < 3; i++ {
		target := randomTarget()
		FindFirst(func(id int) bool { return id == target }, true)
	}
	time.Sleep(time.Millisecond)
}
