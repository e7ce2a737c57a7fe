package resultfanin

import (
	"errors"
	"fmt"
	"math/rand"
	"time"
)

type result struct {
	shard int
	rows  []string
	err   error
}

// Fetcher reads shards from a (simulated) storage backend.
type Fetcher struct {
	FailRate float64
	Buffered bool // the fix
}

func (f *Fetcher) fetchShard(i int) ([]string, error) {
	time.Sleep(time.Duration(rand.Intn(300)) * time.Microsecond)
	if rand.Float64() < f.FailRate {
		return nil, errors.New("shard unavailable")
	}
	return []string{fmt.Sprint("row-", i)}, nil
}

func (f *Fetcher) FetchAll(shards int) ([]string, error) {
	size := 0
	if f.Buffered {
		size = shards
	}
	ch := make(chan result, size) // BUG when unbuffered: early return strands senders
	for i := 0; i < shards; i++ {
		go func() {
			rows, err := f.fetchShard(i)
			ch <- result{shard: i, rows: rows, err: err}
		}()
	}
	var all []string
	for i := 0; i < shards; i++ {
		r := <-ch
		if r.err != nil {
			return nil, fmt.Errorf("shard %d: %w", r.shard, r.err)
		}
		all = append(all, r.rows...)
	}
	return all, nil
}
