// Package shutdownwait is a server whose connection handlers report errors
// on an unbuffered errs channel read by a monitor goroutine. Shutdown
// stops the monitor first and then waits for the handlers with wg.Wait: a
// handler that fails after the monitor stopped blocks forever on its error
// send, so its Done never runs and Shutdown hangs. Handler errors are
// random, so only some shutdowns hang. The fix waits for the handlers
// before stopping the monitor.
//
// corpus:category mixed/channel-waitgroup
// corpus:frames (*Server).Shutdown (*Server).handle
package shutdownwait
