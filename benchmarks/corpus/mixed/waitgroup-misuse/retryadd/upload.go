package retryadd

import (
	"errors"
	"math/rand"
	"sync"
)

var errTransient = errors.New("503 slow down")

type Uploader struct {
	Fixed bool
}

func (u *Uploader) put(part int) error {
	if rand.Intn(12) == 0 {
		return errTransient
	}
	return nil
}

func (u *Uploader) uploadPart(part int, wg *sync.WaitGroup) {
	defer wg.Done()
	for attempt := 0; attempt < 3; attempt++ {
		if err := u.put(part); err == nil {
			return
		}
		if !u.Fixed {
			wg.Add(1) // BUG: the retry is counted but no extra Done comes
		}
	}
}

func (u *Uploader) Upload(parts int) {
	var wg sync.WaitGroup
	for p := 0; p < parts; p++ {
		wg.Add(1)
		go u.uploadPart(p, &wg)
	}
	wg.Wait()
}
