//go:build amd64 && !race

package core

// storeRelease stores v at addr with release ordering only: a plain MOV,
// which x86's total store order makes a release store (the runtime's
// StoreRel on amd64). sync/atomic has no such store: its Store is an XCHG,
// a full barrier that costs several times more. The call is opaque to the
// compiler, so the stores before it are not moved after it.
//
//go:noescape
func storeRelease(addr *uint64, v uint64)
