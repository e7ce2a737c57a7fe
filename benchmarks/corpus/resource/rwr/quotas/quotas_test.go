package quotas

import (
	"sync"
	"testing"
)

func exercise(q *Quotas) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { // admin API
		defer wg.Done()
		for i := 0; i < 2000; i++ {
			q.SetLimit("acme", 100+i%7)
		}
	}()
	go func() { // request path
		defer wg.Done()
		for i := 0; i < 2000; i++ {
			if q.Remaining("acme") > 0 {
				q.Use("acme")
			}
		}
	}()
	wg.Wait()
}

func TestBug(t *testing.T) { exercise(New(10)) }

func TestFixed(t *testing.T) { exercise(NewFixed(10)) }
