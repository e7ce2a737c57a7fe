package pubsubslow

import (
	"fmt"
	"sync"
	"testing"
)

func TestBug(t *testing.T) {
	b := &Bus{}
	events, cancel := b.Subscribe()
	var wg sync.WaitGroup
	wg.Add(1)
	go waitFor(events, "deployed", cancel, false, &wg)
	for i := 0; i < 3; i++ {
		b.Publish(fmt.Sprint("progress ", i))
	}
	b.Publish("deployed")
	wg.Wait()
	b.Publish("healthy")
}

func TestFixed(t *testing.T) {
	b := &Bus{}
	events, cancel := b.Subscribe()
	var wg sync.WaitGroup
	wg.Add(1)
	go waitFor(events, "deployed", cancel, true, &wg)
	for i := 0; i < 3; i++ {
		b.FixedPublish(fmt.Sprint("progress ", i))
	}
	b.FixedPublish("deployed")
	wg.Wait()
	b.FixedPublish("healthy")
}
