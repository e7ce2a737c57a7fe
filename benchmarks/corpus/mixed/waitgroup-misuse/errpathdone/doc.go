// Package errpathdone replicates a write to all replicas in parallel. Each
// replica goroutine calls wg.Done at the end of its happy path, but returns
// early on a network error without calling it, so Replicate blocks forever
// in wg.Wait. Errors are random. The fix uses defer wg.Done().
//
// corpus:category mixed/waitgroup-misuse
// corpus:frames (*Replicator).Replicate (*Replicator).send
package errpathdone
