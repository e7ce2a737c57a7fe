// Command doubleclose has a server whose Stop closes its quit channel; Stop
// is called both by the signal handler and by the deferred cleanup, so the
// second close panics. gridlock reports both closes. With -fixed Stop closes
// through a sync.Once.
package main

import (
	"flag"
	"fmt"
	"sync"
)

type Server struct {
	quit  chan struct{}
	once  sync.Once
	fixed bool
}

// Stop tells the server to stop.
func (s *Server) Stop() {
	if s.fixed {
		s.once.Do(func() { close(s.quit) })
		return
	}
	close(s.quit)
}

func run(fixed bool) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	s := &Server{quit: make(chan struct{}), fixed: fixed}
	defer s.Stop() // cleanup
	s.Stop()       // signal handler
	return nil
}

func main() {
	fixed := flag.Bool("fixed", false, "run the fixed version")
	flag.Parse()
	fmt.Println("error:", run(*fixed))
}
