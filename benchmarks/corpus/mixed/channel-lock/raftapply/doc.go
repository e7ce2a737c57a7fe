// Package raftapply is a raft-like node whose ticker loop, holding the node
// mutex, sends committed entries to the application on an unbuffered apply
// channel. The applier goroutine, while applying an entry, calls Node.Term
// (to stamp the entry), which needs the node mutex: the loop blocks on the
// send while the applier blocks on the mutex. It hangs only when a commit
// arrives while the previous entry is being applied. The fix collects the
// entries under the lock and sends them after unlocking.
//
// corpus:category mixed/channel-lock
// corpus:frames (*Node).tick (*Node).Term
package raftapply
