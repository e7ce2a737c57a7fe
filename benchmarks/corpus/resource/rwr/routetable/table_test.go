package routetable

import (
	"fmt"
	"sync"
	"testing"
)

func TestBug(t *testing.T) {
	tb := NewTable("fallback:80")
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // config pushes
		defer wg.Done()
		for i := 0; i < 300; i++ {
			tb.AddRoute(fmt.Sprintf("/api/v%d/", i), fmt.Sprintf("svc-%d:80", i))
		}
	}()
	for i := 0; i < 1000; i++ {
		tb.Lookup("/static/logo.png")
		tb.Lookup("/api/v1/users")
	}
	wg.Wait()
}

func TestFixed(t *testing.T) {
	tb := NewFixedTable("fallback:80")
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 300; i++ {
			tb.AddRoute(fmt.Sprintf("/api/v%d/", i), fmt.Sprintf("svc-%d:80", i))
		}
	}()
	for i := 0; i < 1000; i++ {
		tb.Lookup("/static/logo.png")
		tb.Lookup("/api/v1/users")
	}
	wg.Wait()
}
