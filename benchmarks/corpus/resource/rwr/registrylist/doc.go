// Package registrylist is a service registry. List read-locks the registry
// and, for each service, calls the public Healthy method, which read-locks
// it again. The health checker goroutine started by Start takes the write
// lock to record probe results; a probe that lands between the two RLocks
// deadlocks List and the checker. The fix uses healthyLocked inside List.
//
// corpus:category resource/rwr
// corpus:frames (*Registry).List (*Registry).Healthy (*Registry).probeAll
package registrylist
