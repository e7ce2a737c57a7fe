//go:build amd64 && !race && gc

package core

// storeRelease stores v at addr with release ordering only: a plain store,
// which x86's total store order makes a release store (the runtime's
// StoreRel on amd64 is the same MOV). sync/atomic has no such store: its
// Store is an XCHG, a full barrier that costs several times more. The gc
// compiler keeps memory operations in program order (each store consumes
// the memory state the operations before it produced, and a load of a
// state is scheduled before the store that replaces it), so the stores
// before this one are not moved after it. It was an assembly function:
// inlined, it spares the fast paths' calls the spilling of their
// registers (TestPublishProtocol checks the protocol it serves).
func storeRelease(addr *uint64, v uint64) { *addr = v }
