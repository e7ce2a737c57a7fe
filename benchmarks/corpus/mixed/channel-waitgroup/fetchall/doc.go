// Package fetchall loads user profiles concurrently. LoadAll starts one
// goroutine per ID, each sending its profile on a channel buffered for the
// "typical" page size, and calls wg.Wait before reading the channel. When a
// page has more IDs than the buffer, the extra senders block, their Done is
// never called, and wg.Wait blocks forever. Page sizes vary, so it hangs
// sometimes. The fix waits in a separate goroutine that closes the channel
// while LoadAll reads.
//
// corpus:category mixed/channel-waitgroup
// corpus:frames (*Loader).LoadAll (*Loader).LoadAll.func1
package fetchall
