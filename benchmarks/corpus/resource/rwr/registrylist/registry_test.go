package registrylist

import (
	"fmt"
	"testing"
	"time"
)

func names() []string {
	var ns []string
	for i := 0; i < 30; i++ {
		ns = append(ns, fmt.Sprint("svc-", i))
	}
	return ns
}

func TestBug(t *testing.T) {
	r := NewRegistry(names()...)
	r.Start(200 * time.Microsecond)
	defer r.Stop()
	for i := 0; i < 3000; i++ {
		r.List()
	}
}

func TestFixed(t *testing.T) {
	r := NewFixedRegistry(names()...)
	r.Start(200 * time.Microsecond)
	defer r.Stop()
	for i := 0; i < 3000; i++ {
		r.List()
	}
}
