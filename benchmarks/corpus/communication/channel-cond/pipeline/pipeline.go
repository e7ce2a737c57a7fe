package pipeline

import "sync"

type Buffer struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
	cap   int
	done  bool
}

func NewBuffer(capacity int) *Buffer {
	b := &Buffer{cap: capacity}
	b.cond = sync.NewCond(&b.mu)
	return b
}

func (b *Buffer) Push(v int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for len(b.items) >= b.cap {
		b.cond.Wait()
	}
	b.items = append(b.items, v)
	b.cond.Broadcast()
}

func (b *Buffer) Pop() (int, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for len(b.items) == 0 && !b.done {
		b.cond.Wait()
	}
	if len(b.items) == 0 {
		return 0, false
	}
	v := b.items[0]
	b.items = b.items[1:]
	b.cond.Broadcast()
	return v, true
}

func (b *Buffer) Finish() {
	b.mu.Lock()
	b.done = true
	b.mu.Unlock()
	b.cond.Broadcast()
}

type Pipeline struct {
	buf *Buffer
	in  chan int
	out chan int
}

func New(capacity int) *Pipeline {
	p := &Pipeline{buf: NewBuffer(capacity), in: make(chan int), out: make(chan int)}
	go p.intake()
	go p.emit()
	return p
}

func (p *Pipeline) intake() {
	for v := range p.in {
		p.buf.Push(v)
	}
	p.buf.Finish()
}

func (p *Pipeline) emit() {
	defer close(p.out)
	for {
		v, ok := p.buf.Pop()
		if !ok {
			return
		}
		p.out <- v * v
	}
}

// Run pushes a batch through the pipeline and returns the sum of the output.
func (p *Pipeline) Run(batch []int) int {
	for _, v := range batch {
		p.in <- v // BUG: output is not drained while feeding
	}
	close(p.in)
	sum := 0
	for v := range p.out {
		sum += v
	}
	return sum
}

// FixedRun feeds concurrently with draining.
func (p *Pipeline) FixedRun(batch []int) int {
	go func() {
		for _, v := range batch {
			p.in <- v
		}
		close(p.in)
	}()
	sum := 0
	for v := range p.out {
		sum += v
	}
	return sum
}
