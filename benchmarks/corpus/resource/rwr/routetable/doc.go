// Package routetable is an HTTP-style routing table. Lookup read-locks the
// table and, when no prefix matches, calls the public Default method, which
// read-locks again. A concurrent AddRoute (a config push) takes the write
// lock; if it arrives between the two RLocks, the nested RLock waits behind
// the writer and the writer waits for the outer RLock: deadlock, only
// sometimes. The fix reads the default route directly under the held lock.
//
// corpus:category resource/rwr
// corpus:frames (*Table).Lookup (*Table).Default (*Table).AddRoute
package routetable
