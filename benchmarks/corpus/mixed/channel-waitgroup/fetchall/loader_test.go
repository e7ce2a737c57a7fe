package fetchall

import (
	"math/rand"
	"testing"
)

func page() []int {
	ids := make([]int, 5+rand.Intn(8))
	for i := range ids {
		ids[i] = i
	}
	return ids
}

func TestBug(t *testing.T) {
	l := &Loader{PageSize: 10}
	for i := 0; i < 3; i++ {
		l.LoadAll(page())
	}
}

func TestFixed(t *testing.T) {
	l := &Loader{PageSize: 10, Fixed: true}
	for i := 0; i < 3; i++ {
		l.LoadAll(page())
	}
}
