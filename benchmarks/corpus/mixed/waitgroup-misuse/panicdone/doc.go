// Package panicdone is a worker pool that recovers from panicking tasks so
// one bad task does not crash the server. The recover is deferred, but
// wg.Done is called at the end of the function body, so a task that panics
// skips Done and Wait blocks forever. Tasks panic on random bad input. The
// fix defers wg.Done.
//
// corpus:category mixed/waitgroup-misuse
// corpus:frames (*Pool).runTask (*Pool).RunAll
package panicdone
