package batchwriter

import (
	"fmt"
	"testing"
)

func rows() []string {
	var r []string
	for i := 0; i < 40; i++ {
		r = append(r, fmt.Sprint("row-", i))
	}
	return r
}

func TestBug(t *testing.T) {
	w := &Writer{Parallel: 4}
	for i := 0; i < 2; i++ {
		w.Write(rows())
	}
}

func TestFixed(t *testing.T) {
	w := &Writer{Parallel: 4, Fixed: true}
	for i := 0; i < 2; i++ {
		w.Write(rows())
	}
}
