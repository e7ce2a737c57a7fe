// Package schedulerpeek is a job scheduler. Due read-locks the queue and,
// to decide how many jobs to return, calls the public Pending method, which
// read-locks again. Producers call Schedule, which takes the write lock; a
// Schedule queued between the two RLocks deadlocks the dispatcher and the
// producer, only under that interleaving. The fix computes the length under
// the lock already held.
//
// corpus:category resource/rwr
// corpus:frames (*Scheduler).Due (*Scheduler).Pending (*Scheduler).Schedule
package schedulerpeek
