package brokerunsub

import (
	"fmt"
	"sync"
	"testing"
)

func TestBug(t *testing.T) {
	b := NewBroker()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() { // publisher
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
				b.Publish(fmt.Sprint("event-", i))
			}
		}
	}()
	for i := 0; i < 200; i++ { // clients come and go
		s := b.Subscribe()
		s.Drain()
		s.Close()
	}
	close(stop)
	wg.Wait()
}

func TestFixed(t *testing.T) {
	b := NewFixedBroker()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
				b.Publish(fmt.Sprint("event-", i))
			}
		}
	}()
	for i := 0; i < 200; i++ {
		s := b.Subscribe()
		s.Drain()
		s.Close()
	}
	close(stop)
	wg.Wait()
}
