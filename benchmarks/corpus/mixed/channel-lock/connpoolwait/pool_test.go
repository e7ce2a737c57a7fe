package connpoolwait

import (
	"sync"
	"testing"
)

func run(p *Pool) {
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				c := p.Get()
				query(c)
				p.Put(c)
			}
		}()
	}
	wg.Wait()
}

func TestBug(t *testing.T) { run(NewPool(3, false)) }

func TestFixed(t *testing.T) { run(NewPool(3, true)) }
