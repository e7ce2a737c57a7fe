package refresher

import (
	"fmt"
	"math/rand"
	"testing"
	"time"
)

func slowLoad(k string) string {
	if rand.Intn(10) == 0 {
		time.Sleep(time.Duration(rand.Intn(30)) * time.Microsecond)
	}
	return "v-" + k
}

func TestBug(t *testing.T) {
	c := NewCache(slowLoad, 2*time.Millisecond)
	defer c.Close()
	for i := 0; i < 200; i++ {
		c.Get(fmt.Sprint("key", rand.Intn(20)))
		time.Sleep(time.Duration(rand.Intn(100)) * time.Microsecond)
	}
}

func TestFixed(t *testing.T) {
	c := NewFixedCache(slowLoad, 2*time.Millisecond)
	defer c.Close()
	for i := 0; i < 200; i++ {
		c.Get(fmt.Sprint("key", rand.Intn(20)))
		time.Sleep(time.Duration(rand.Intn(100)) * time.Microsecond)
	}
}
