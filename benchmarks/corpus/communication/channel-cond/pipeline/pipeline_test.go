package pipeline

import (
	"math/rand"
	"testing"
)

func batch() []int {
	b := make([]int, 2+rand.Intn(10)) // request sizes vary
	for i := range b {
		b[i] = i
	}
	return b
}

func TestBug(t *testing.T) {
	for i := 0; i < 3; i++ {
		New(4).Run(batch())
	}
}

func TestFixed(t *testing.T) {
	for i := 0; i < 3; i++ {
		New(4).FixedRun(batch())
	}
}
