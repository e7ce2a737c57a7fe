package core

import (
	"testing"
	"unsafe"
)

// TestStateSize keeps a goroutine's state in a size class that is a
// multiple of a cache line (so that two goroutines' states never share
// one) and bounded (there is one per goroutine that locks or waits).
func TestStateSize(t *testing.T) {
	const max = 704
	size := unsafe.Sizeof(gstate{})
	if size > max {
		t.Errorf("unsafe.Sizeof(gstate{}) = %d, want at most %d", size, max)
	}
	t.Logf("gstate: %d bytes; waitRec %d, heldEntry %d", size, unsafe.Sizeof(waitRec{}), unsafe.Sizeof(heldEntry{}))
}
