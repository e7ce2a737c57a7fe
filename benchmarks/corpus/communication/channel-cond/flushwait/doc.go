// Package flushwait is an async logger: Log queues a line and bumps a
// pending counter, a writer goroutine ships lines to a sink channel and
// decrements the counter, and Flush waits on a sync.Cond until pending is
// zero. The shipping side of the sink channel is unbuffered and is drained
// by the caller after Flush returns: when lines are still queued, the
// writer blocks on the sink and Flush waits on the cond forever. The fix
// decrements pending when a line is handed over and has the sink drained
// concurrently.
//
// corpus:category communication/channel-cond
// corpus:frames (*Logger).Flush (*Logger).writer
package flushwait
