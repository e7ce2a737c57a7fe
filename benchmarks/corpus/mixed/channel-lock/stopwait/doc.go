// Package stopwait is a metrics exporter with a flush loop. Stop takes the
// exporter mutex, marks it stopped, closes the quit channel and waits on
// the done channel for the loop to exit, all while still holding the
// mutex. If the loop is in the middle of a flush it needs the mutex to
// finish, so it never reaches done: Stop waits on the channel and the loop
// waits on the mutex. It hangs only when Stop lands during a flush. The fix
// unlocks before waiting.
//
// corpus:category mixed/channel-lock
// corpus:frames (*Exporter).Stop (*Exporter).flush
package stopwait
