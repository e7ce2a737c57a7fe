package cachestats

import (
	"math/rand"
	"strconv"
	"testing"
	"time"
)

func TestBug(t *testing.T) {
	c := NewCache(2 * time.Millisecond)
	for i := 0; i < 50; i++ {
		k := "k" + strconv.Itoa(rand.Intn(8))
		c.Set(k, "v")
		time.Sleep(time.Duration(rand.Intn(100)) * time.Microsecond)
		c.Get(k)
	}
}

func TestFixed(t *testing.T) {
	c := NewFixedCache(2 * time.Millisecond)
	for i := 0; i < 50; i++ {
		k := "k" + strconv.Itoa(rand.Intn(8))
		c.Set(k, "v")
		time.Sleep(time.Duration(rand.Intn(100)) * time.Microsecond)
		c.Get(k)
	}
}
