package fetchall

import (
	"fmt"
	"sync"
)

type Profile struct {
	ID   int
	Name string
}

type Loader struct {
	PageSize int // typical page size, used as the buffer size
	Fixed    bool
}

func (l *Loader) load(id int) Profile { return Profile{ID: id, Name: fmt.Sprint("user", id)} }

func (l *Loader) LoadAll(ids []int) []Profile {
	ch := make(chan Profile, l.PageSize)
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ch <- l.load(id)
		}()
	}
	var out []Profile
	if l.Fixed {
		go func() { wg.Wait(); close(ch) }()
		for p := range ch {
			out = append(out, p)
		}
		return out
	}
	wg.Wait() // BUG: senders beyond the buffer never finish
	close(ch)
	for p := range ch {
		out = append(out, p)
	}
	return out
}
