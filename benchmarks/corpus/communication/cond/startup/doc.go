// Package startup is a readiness gate for a service. WaitReady checks the
// ready flag, and if it is not set yet, locks and calls cond.Wait without
// re-checking the flag under the lock. If MarkReady sets the flag and
// broadcasts in between, the wake-up is lost and WaitReady blocks forever
// (lost wake-up), only under that interleaving. The fix checks the flag in
// a loop while holding the lock.
//
// corpus:category communication/cond
// corpus:frames (*Gate).WaitReady
package startup
