package shutdownwait

import (
	"errors"
	"math/rand"
	"sync"
	"time"
)

type Server struct {
	wg       sync.WaitGroup
	errs     chan error
	quit     chan struct{}
	monDone  chan struct{}
	failures int
}

func NewServer() *Server {
	s := &Server{errs: make(chan error), quit: make(chan struct{}), monDone: make(chan struct{})}
	go s.monitor()
	return s
}

func (s *Server) monitor() {
	defer close(s.monDone)
	for {
		select {
		case <-s.errs:
			s.failures++
		case <-s.quit:
			return
		}
	}
}

func (s *Server) Serve(conn int) {
	s.wg.Add(1)
	go s.handle(conn)
}

func (s *Server) handle(conn int) {
	defer s.wg.Done()
	time.Sleep(time.Duration(rand.Intn(2000)) * time.Microsecond)
	if rand.Intn(4) == 0 {
		s.errs <- errors.New("connection reset") // blocks if the monitor is gone
	}
}

func (s *Server) Shutdown() {
	close(s.quit)
	<-s.monDone
	s.wg.Wait() // BUG: handlers may be stuck sending to the stopped monitor
}

func (s *Server) FixedShutdown() {
	s.wg.Wait()
	close(s.quit)
	<-s.monDone
}
