// Package poolerr is a connection pool whose Get returns early on a dial
// error without releasing the pool mutex. Dials fail only now and then, so a
// test hangs only once an error happened: the next Get or Put blocks forever
// on the mutex left locked by the error path. The fix uses defer Unlock.
//
// corpus:category resource/double-lock
// corpus:frames (*Pool).Get
package poolerr
