// Package throttle limits concurrent requests to a backend with a sync.Cond.
// Acquire waits while inflight >= limit. Release signals, but SetLimit,
// which an operator uses to resume a paused throttle (limit 0) or to raise
// the limit, changes the limit without Broadcast: requests parked while the
// throttle was paused are never woken. The fix broadcasts in SetLimit.
//
// corpus:category communication/cond
// corpus:frames (*Throttle).Acquire (*Throttle).SetLimit
package throttle
