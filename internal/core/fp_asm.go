//go:build amd64 || arm64

package core

import "unsafe"

// fpWalk stores in pcs[:n] the return addresses of the calling goroutine's
// frames, walking the frame-pointer chain from the caller of fpWalk's caller
// after skipping skip frames, and returns how many it stored and the
// calling goroutine's runtime g (for goidOf: the fast paths need both, and
// each call of an assembly function costs its caller the spilling of its
// registers). It never calls anything, so the stack cannot move under it.
//
//go:noescape
func fpWalk(pcs *uintptr, n int, skip int) (int, unsafe.Pointer)

// callers fills pcs with return addresses of the caller's callers: pcs[0]
// is where the function that called callers was called from.
//
//go:noinline
func callers(pcs []uintptr) int {
	if len(pcs) == 0 {
		return 0
	}
	// fpWalk reads the frame pointer of callers itself: its first return
	// address is in callers' caller.
	n, _ := fpWalk(&pcs[0], len(pcs), 1)
	return n
}

// procYield spins for about cycles pauses of the CPU (runtime.procyield).
//
//go:noescape
func procYield(cycles uint32)
