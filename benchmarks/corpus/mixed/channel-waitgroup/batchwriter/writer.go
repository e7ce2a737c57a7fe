package batchwriter

import (
	"errors"
	"math/rand"
	"sync"
	"time"
)

var ErrWrite = errors.New("write failed")

type Writer struct {
	Parallel int
	Fixed    bool
}

func (w *Writer) writeRow(r string) error {
	time.Sleep(time.Duration(rand.Intn(200)) * time.Microsecond)
	if rand.Intn(15) == 0 {
		return ErrWrite
	}
	return nil
}

func (w *Writer) Write(rows []string) error {
	results := make(chan error)
	var wg sync.WaitGroup
	chunk := (len(rows) + w.Parallel - 1) / w.Parallel
	for i := 0; i < len(rows); i += chunk {
		part := rows[i:min(i+chunk, len(rows))]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, r := range part {
				results <- w.writeRow(r)
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var first error
	for err := range results {
		if err != nil && first == nil {
			first = err
			if !w.Fixed {
				return err // BUG: writers and the closer are left blocked
			}
		}
	}
	return first
}
