//go:build !amd64 && !arm64

package core

import (
	"runtime"
	"unsafe"
)

// fpWalk is the frame-pointer walk of fp_amd64.s and fp_arm64.s, done with
// runtime.Callers on the other architectures (slower; same frames). It
// returns no g: goidOf then asks goid.
//
//go:noinline
func fpWalk(pcs *uintptr, n int, skip int) (int, unsafe.Pointer) {
	if n <= 0 {
		return 0, nil
	}
	// 0 is Callers, 1 fpWalk, 2 its caller, 3 that one's caller.
	return runtime.Callers(skip+3, unsafe.Slice(pcs, n)), nil
}

// callers fills pcs with return addresses of the caller's callers: pcs[0]
// is where the function that called callers was called from.
func callers(pcs []uintptr) int {
	return runtime.Callers(3, pcs)
}

// procYield spins a little: runtime.procyield has no equivalent here. (A
// count in a local, not a shared variable, which spinners would race on.)
//
//go:noinline
func procYield(cycles uint32) {
	for i := uint32(0); i < cycles; i++ {
	}
}
