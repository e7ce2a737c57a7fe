// Package connpoolcond is a connection pool limited to Max open connections;
// Get waits on a sync.Cond while the pool is exhausted. Put signals waiters
// when it returns a healthy connection, but the path that discards a broken
// connection decrements the open count and returns without signalling, so
// a waiter can sleep forever although a slot is free. Connections break at
// random, so only some runs hang. The fix signals on both paths.
//
// corpus:category communication/cond
// corpus:frames (*Pool).Get (*Pool).Put
package connpoolcond
