// Package crawler crawls a link graph with a fixed set of workers fed by a
// bounded queue channel. A worker that discovers links does wg.Add and
// enqueues them with a blocking send; the crawl ends when wg.Wait returns.
// When every worker is blocked enqueuing into a full queue, nobody is left
// to dequeue, so the workers and wg.Wait block forever. It depends on the
// fan-out of the (random) graph. The fix enqueues from a new goroutine.
//
// corpus:category mixed/channel-waitgroup
// corpus:frames (*Crawler).worker (*Crawler).Crawl
package crawler
