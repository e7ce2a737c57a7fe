package errgroupfirst

import (
	"context"
	"testing"
)

func records() []int {
	r := make([]int, 60)
	for i := range r {
		r[i] = i
	}
	return r
}

func TestBug(t *testing.T) {
	for i := 0; i < 3; i++ {
		Process(context.Background(), records(), 4)
	}
}

func TestFixed(t *testing.T) {
	for i := 0; i < 3; i++ {
		FixedProcess(context.Background(), records(), 4)
	}
}
