//go:build !amd64 && !arm64

package core

import "runtime"

// callers fills pcs with return addresses of the caller's callers: pcs[0]
// is where the function that called callers was called from.
func callers(pcs []uintptr) int {
	return runtime.Callers(3, pcs)
}
