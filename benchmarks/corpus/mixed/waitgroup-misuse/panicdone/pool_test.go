package panicdone

import (
	"fmt"
	"math/rand"
	"testing"
)

func tasks() []func() {
	var ts []func()
	for i := 0; i < 10; i++ {
		rec := fmt.Sprint(i)
		if rand.Intn(15) == 0 {
			rec = "garbage"
		}
		ts = append(ts, func() { parse(rec) })
	}
	return ts
}

func TestBug(t *testing.T) { (&Pool{}).RunAll(tasks()) }

func TestFixed(t *testing.T) { (&Pool{Fixed: true}).RunAll(tasks()) }
