// Package leasekeeper keeps leases alive: its renew loop (started by the
// constructor) locks the keeper and then each lease to extend it, while
// Lease.Revoke locks the lease and then the keeper to unregister itself. A
// revoke that races with a renewal deadlocks (AB-BA); only some runs hit it.
// The fix makes Revoke unregister through the keeper first.
//
// corpus:category resource/abba
// corpus:frames (*Keeper).renewAll (*Lease).Revoke
package leasekeeper
