// Package quotas tracks per-tenant request quotas. Remaining read-locks the
// table and calls limitFor, which also read-locks it (it is used on its own
// by the admin API). The admin SetLimit takes the write lock; when it is
// queued between the two RLocks, the nested RLock blocks behind it and the
// writer waits for the outer RLock: deadlock, only under that interleaving.
// The fix has Remaining read the limit under the lock it already holds.
//
// corpus:category resource/rwr
// corpus:frames (*Quotas).Remaining (*Quotas).limitFor (*Quotas).SetLimit
package quotas
