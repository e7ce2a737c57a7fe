package main

import (
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
)

type server struct {
	wg sync.WaitGroup
	mu sync.Mutex
	n  int
}

func (s *server) start(k int) {
	for i := range k {
		s.wg.Add(1)
		go func() { // a field of a captured pointer
			defer s.wg.Done()
			s.mu.Lock()
			s.n += i
			s.mu.Unlock()
		}()
	}
}

// finish is a helper that calls Done on a field of its receiver.
func (s *server) finish() {
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
	s.wg.Done()
}

// worker calls Done on its parameter.
func worker(i int, wg *sync.WaitGroup, out []int) {
	defer wg.Done()
	out[i] = -i
}

// tracker's finish is valid on a nil tracker: registering its WaitGroup
// must not dereference it first.
type tracker struct{ wg sync.WaitGroup }

func (t *tracker) finish() {
	if t == nil {
		return
	}
	t.wg.Done()
}

func (t *tracker) finishDeferred() {
	if t != nil {
		defer t.wg.Done()
	}
}

type nested struct{ inner struct{ wg sync.WaitGroup } }

// doneSplit names the WaitGroup across lines, with a comment between.
func (n *nested) doneSplit() {
	defer n.inner. // the inner group
			wg.Done()
}

// async runs f in another goroutine: the literal passed to it is not the
// caller's task.
func async(f func()) { go f() }

func main() {
	s := &server{}
	s.start(4)
	s.wg.Wait()
	fmt.Println("fields:", s.n)

	var wg sync.WaitGroup
	out := make([]int, 3)
	for i := range 3 {
		wg.Add(1)
		go func(p *sync.WaitGroup) { // a parameter
			defer func() { p.Done() }()
			out[i] = i * i
		}(&wg)
	}
	wg.Wait()
	fmt.Println("params:", out)

	var outer, inner sync.WaitGroup
	outer.Add(1)
	inner.Add(1)
	go func() { // Done in a nested go statement is the other goroutine's
		go func() {
			inner.Done()
		}()
		outer.Done()
	}()
	outer.Wait()
	inner.Wait()

	done := make(chan bool)
	go func() { // a WaitGroup of its own: not named at the start
		var local sync.WaitGroup
		local.Add(1)
		go func() { local.Done() }()
		local.Wait()
		done <- true
	}()
	fmt.Println("local:", <-done)

	var twice sync.WaitGroup
	twice.Add(2)
	go func() { // one goroutine, two Done calls
		twice.Done()
		twice.Done()
	}()
	twice.Wait()
	fmt.Println("twice: ok")

	var w sync.WaitGroup
	res := make([]int, 3)
	for i := range 3 {
		w.Add(1)
		go worker(i, &w, res)
	}
	w.Add(1)
	async(func() { w.Done() })
	w.Wait()
	fmt.Println("workers:", res)

	s2 := &server{}
	s2.wg.Add(2)
	go s2.finish()
	go func() { defer s2.finish() }()
	s2.wg.Wait()
	fmt.Println("helpers:", s2.n)

	var nilT *tracker
	nilT.finish()
	nilT.finishDeferred()
	var n nested
	n.inner.wg.Add(1)
	go n.doneSplit()
	n.inner.wg.Wait()
	_, file, line, _ := runtime.Caller(0)
	fmt.Println("nil and split: ok at", filepath.Base(file), line)
}
