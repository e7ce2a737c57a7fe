package errpathdone

import (
	"errors"
	"math/rand"
	"sync"
	"sync/atomic"
)

type Replicator struct {
	Replicas []string
	Fixed    bool
	acks     atomic.Int32
}

func (r *Replicator) write(replica string, data []byte) error {
	if rand.Intn(20) == 0 {
		return errors.New("replica unreachable")
	}
	return nil
}

func (r *Replicator) send(replica string, data []byte, wg *sync.WaitGroup) {
	if r.Fixed {
		defer wg.Done()
	}
	if err := r.write(replica, data); err != nil {
		return // BUG (unfixed): Done is skipped on the error path
	}
	r.acks.Add(1)
	if !r.Fixed {
		wg.Done()
	}
}

// Replicate returns the number of replicas that acknowledged.
func (r *Replicator) Replicate(data []byte) int {
	r.acks.Store(0)
	var wg sync.WaitGroup
	for _, rep := range r.Replicas {
		wg.Add(1)
		go r.send(rep, data, &wg)
	}
	wg.Wait()
	return int(r.acks.Load())
}
