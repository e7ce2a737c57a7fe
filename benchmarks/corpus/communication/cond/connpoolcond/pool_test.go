package connpoolcond

import (
	"sync"
	"testing"
)

func run(p *Pool) {
	var wg sync.WaitGroup
	for r := 0; r < 40; r++ { // one goroutine per incoming request
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := p.Get()
			use(c)
			p.Put(c)
		}()
	}
	wg.Wait()
}

func TestBug(t *testing.T) { run(NewPool(2, false)) }

func TestFixed(t *testing.T) { run(NewPool(2, true)) }
