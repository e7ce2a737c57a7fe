package errpathdone

import "testing"

func TestBug(t *testing.T) {
	r := &Replicator{Replicas: []string{"r1", "r2", "r3"}}
	for i := 0; i < 5; i++ {
		r.Replicate([]byte("k=v"))
	}
}

func TestFixed(t *testing.T) {
	r := &Replicator{Replicas: []string{"r1", "r2", "r3"}, Fixed: true}
	for i := 0; i < 5; i++ {
		r.Replicate([]byte("k=v"))
	}
}
