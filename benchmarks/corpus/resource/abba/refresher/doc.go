// Package refresher is a cache whose refresher goroutine (started by the
// constructor) locks the cache and then its stats block, while Get records a
// lookup in the stats block and, on a miss, locks the cache to fill it: the
// two lock orders are inverted, so a refresh that races with a missing Get
// deadlocks. It hangs only under the bad interleaving. The fix always takes
// the cache lock before the stats lock.
//
// corpus:category resource/abba
// corpus:frames (*Cache).refresh (*Cache).Get
package refresher
