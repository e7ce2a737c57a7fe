package ackwindow

import "sync"

type Stream struct {
	mu       sync.Mutex
	cond     *sync.Cond
	window   int
	ackEvery int
	frames   chan []byte
	acks     chan int
	got      chan int
}

func NewStream(window, ackEvery int, fixed bool) *Stream {
	if fixed && ackEvery > window {
		ackEvery = window
	}
	s := &Stream{window: window, ackEvery: ackEvery, frames: make(chan []byte), acks: make(chan int), got: make(chan int, 1)}
	s.cond = sync.NewCond(&s.mu)
	go s.acker()
	go s.receive()
	return s
}

func (s *Stream) acker() {
	for n := range s.acks {
		s.mu.Lock()
		s.window += n
		s.mu.Unlock()
		s.cond.Signal()
	}
}

func (s *Stream) receive() {
	total, unacked := 0, 0
	for range s.frames {
		total++
		unacked++
		if unacked == s.ackEvery {
			s.acks <- unacked
			unacked = 0
		}
	}
	close(s.acks)
	s.got <- total
}

// Send blocks until the peer granted credit for the frame.
func (s *Stream) Send(f []byte) {
	s.mu.Lock()
	for s.window == 0 {
		s.cond.Wait() // BUG when ackEvery > window: credit never comes
	}
	s.window--
	s.mu.Unlock()
	s.frames <- f
}

// Close ends the stream and returns the number of frames received.
func (s *Stream) Close() int {
	close(s.frames)
	return <-s.got
}
