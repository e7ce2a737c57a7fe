// Package raftcycle is a raft-like node with three components, each with its
// own mutex: the Node (ticker loop started by Start), the Log and the
// Transport. The tick locks node then log, Log.Append locks log then
// transport to replicate, and the transport's receive loop locks transport
// then node to step incoming messages: a three-lock cycle that deadlocks
// only when all three overlap. The fix makes the transport release its lock
// before stepping the node.
//
// corpus:category resource/abba
// corpus:frames (*Node).tick (*Log).Append (*Transport).deliver
package raftcycle
