package brokerlock

import (
	"fmt"
	"sync"
	"testing"
)

func run(publish func(*Broker, string)) {
	b := NewBroker()
	var wg sync.WaitGroup
	for c := 0; c < 3; c++ {
		s := b.Subscribe()
		wg.Add(1)
		go func() { // handler: leaves after its quota of messages
			defer wg.Done()
			quota := 5 + c*3
			for n := 0; ; n++ {
				select {
				case <-s.C:
				case <-s.done:
					return
				}
				if n == quota {
					b.Unsubscribe(s)
					return
				}
			}
		}()
	}
	for i := 0; i < 20; i++ {
		publish(b, fmt.Sprint("tick ", i))
	}
	b.Close()
	wg.Wait()
}

func TestBug(t *testing.T) { run((*Broker).Publish) }

func TestFixed(t *testing.T) { run((*Broker).FixedPublish) }
