package poolerr

import "testing"

func TestBug(t *testing.T) {
	p := NewPool(FlakyDialer(0.1))
	for i := 0; i < 20; i++ {
		c, err := p.Get()
		if err != nil {
			continue // retry, as a client would
		}
		if i%3 != 0 {
			p.Put(c)
		}
	}
}

func TestFixed(t *testing.T) {
	p := NewFixedPool(FlakyDialer(0.1))
	for i := 0; i < 20; i++ {
		c, err := p.Get()
		if err != nil {
			continue
		}
		if i%3 != 0 {
			p.Put(c)
		}
	}
}
