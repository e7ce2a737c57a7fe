//go:build !amd64 || race || !gc

package core

import "sync/atomic"

// storeRelease stores v at addr with at least release ordering: a
// sequentially consistent store here (and under the race detector, which
// then sees the same happens-before edges as the protocol relies on).
func storeRelease(addr *uint64, v uint64) { atomic.StoreUint64(addr, v) }
