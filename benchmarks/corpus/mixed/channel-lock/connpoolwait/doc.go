// Package connpoolwait is a connection pool where Get, when no connection
// is idle and the pool is at its limit, waits on the "free" channel while
// still holding the pool mutex. Put needs the mutex to return a connection
// and then signals on the channel, so once the pool is exhausted Get and
// Put block each other forever. Exhaustion depends on the request overlap,
// so it hangs sometimes. The fix releases the mutex while waiting.
//
// corpus:category mixed/channel-lock
// corpus:frames (*Pool).Get (*Pool).Put
package connpoolwait
