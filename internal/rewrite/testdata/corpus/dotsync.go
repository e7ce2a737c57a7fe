package main

// A dot import of sync: the rewritten file must not also get detect's own
// exported names (New, Option, Default, ...), which this file declares.

import (
	"fmt"
	. "sync"
)

type Option struct{ Name string }

func New(name string) *Option { return &Option{name} }

var Default = New("default")

type Report struct {
	mu    Mutex
	lines []string
}

func (r *Report) add(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, s)
}

func main() {
	var r Report
	var wg WaitGroup
	var once Once
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			once.Do(func() { r.add("first") })
		}()
		_ = i
	}
	wg.Wait()
	var rw RWMutex
	c := NewCond(rw.RLocker())
	_ = c
	v := OnceValue(func() int { return 42 })
	fmt.Println(Default.Name, len(r.lines), r.lines[0], v())
}
