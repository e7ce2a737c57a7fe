// Package detect is a drop-in replacement for package sync that finds
// deadlocks at run time:
//
//	import sync "github.com/gridlock-go/gridlock/detect" // instead of "sync"
//
// Code compiles and behaves unchanged: Mutex, RWMutex, WaitGroup and Cond
// wrap sync's; Once (and OnceFunc, OnceValue, OnceValues, built on it) is
// sync's algorithm on a tracked Mutex, so that a Do that re-enters its own
// Once is reported (double-lock) and a wait in Do is a lock wait; Locker,
// Map and Pool are sync's own. The zero values are ready to use, and, as
// with sync, a lock, Once, WaitGroup or Cond must not be copied after first
// use (go vet's copylocks check applies; gridlock reports a copy that is
// used).
//
// Detection is off unless the GRIDLOCK environment variable enables it
// (GRIDLOCK=1, or settings such as GRIDLOCK=timeout=2s,log=json: see the
// README), or a Detector is started. Off, each operation costs one atomic
// load more than sync's; the gridlock_off build tag makes the types sync's
// own.
//
// On, gridlock records which locks each goroutine holds and where it took
// them, and reports (each once per cause, with the stacks involved):
//
//   - lock-order-cycle: locks taken in orders that form a cycle of any
//     length, even when this run did not deadlock;
//   - double-lock and recursive-rlock;
//   - deadlock: goroutines blocked for good on each other, without waiting
//     for a timeout: within about 100 ms for locks, after 1 s when a channel
//     or Cond wait (whose peers are inferred) is part of it;
//   - blocked-wait: a Lock, RLock, WaitGroup.Wait, Cond.Wait or channel
//     operation (see package chanwatch) blocked longer than the timeout,
//     with the goroutines it waits for, what they hold and where they are;
//   - leaked-lock: a lock held by a goroutine that has exited;
//   - misuse: unlock-of-unlocked, waitgroup-negative, waitgroup-reuse,
//     cond-wait-unlocked, copied-lock, before sync's fatal error or panic.
//
// In tests, VerifyNone and VerifyTestMain fail the test (or the binary) on
// any report and on goroutines still blocked in a tracked wait at the end
// (leaked-wait); they start detection themselves when GRIDLOCK is unset.
// The gridlock command (cmd/gridlock) runs any package's tests this way
// without editing them.
//
// Which goroutines could end a channel, WaitGroup or Cond wait is inferred
// from their past operations on it; reports that rely on it say so.
package detect
