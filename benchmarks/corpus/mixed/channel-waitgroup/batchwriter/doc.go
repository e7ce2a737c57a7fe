// Package batchwriter writes rows through parallel writers. Write starts a
// goroutine that waits for the writers with wg.Wait and then closes the
// results channel, and returns at the first failed result. The remaining
// writers block forever sending on the unbuffered results channel, so the
// closer goroutine also blocks forever in wg.Wait (leaks after Write
// returns). Failures are random. The fix drains the results after the first
// error.
//
// corpus:category mixed/channel-waitgroup
// corpus:frames (*Writer).Write.func1 (*Writer).Write.func2 (*Writer).Write
package batchwriter
