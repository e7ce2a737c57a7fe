// Package resultfanin fetches several shards concurrently. FetchAll starts
// one goroutine per shard, each sending its result on an unbuffered
// channel, and returns as soon as one shard fails: the goroutines of the
// shards not yet received block forever on their send (a goroutine leak).
// Shard failures are random, so the leak happens only in some runs. The fix
// makes the channel buffered with room for every shard.
//
// corpus:category communication/channel
// corpus:frames (*Fetcher).FetchAll.func1 (*Fetcher).FetchAll
package resultfanin
