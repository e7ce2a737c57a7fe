// Package barrier is a phase barrier for a group of replicas built on
// sync.Cond. The last party to arrive advances the phase and calls Signal
// instead of Broadcast, so only one of the waiting parties wakes up and the
// others stay parked in cond.Wait forever. The fix broadcasts.
//
// corpus:category communication/cond
// corpus:frames (*Barrier).Await
package barrier
