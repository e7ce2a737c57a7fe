package flushwait

import "sync"

type Logger struct {
	mu      sync.Mutex
	cond    *sync.Cond
	pending int
	queue   chan string
	Sink    chan string
}

func NewLogger() *Logger {
	l := &Logger{queue: make(chan string, 64), Sink: make(chan string)}
	l.cond = sync.NewCond(&l.mu)
	go l.writer()
	return l
}

func (l *Logger) writer() {
	for line := range l.queue {
		l.Sink <- line // BUG: nobody drains Sink while Flush waits
		l.mu.Lock()
		l.pending--
		l.mu.Unlock()
		l.cond.Broadcast()
	}
	close(l.Sink)
}

func (l *Logger) Log(line string) {
	l.mu.Lock()
	l.pending++
	l.mu.Unlock()
	l.queue <- line
}

// Flush waits until every logged line reached the sink.
func (l *Logger) Flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for l.pending > 0 {
		l.cond.Wait()
	}
}

func (l *Logger) Close() { close(l.queue) }
