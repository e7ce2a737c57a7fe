package core

import (
	"testing"
	"unsafe"
)

// TestStateSize keeps a goroutine's state in a size class that is a
// multiple of a cache line (so that two goroutines' states never share
// one) and bounded (there is one per goroutine that locks or waits).
func TestStateSize(t *testing.T) {
	const max = 768
	size := unsafe.Sizeof(gstate{})
	if size > max {
		t.Errorf("unsafe.Sizeof(gstate{}) = %d, want at most %d", size, max)
	}
	t.Logf("gstate: %d bytes; waitRec %d, heldEntry %d", size, unsafe.Sizeof(waitRec{}), unsafe.Sizeof(heldEntry{}))
}

// TestParticipantSize keeps a channel participant alone on its cache lines
// (a 128-byte size class, aligned): two goroutines count their operations
// on the same channel without sharing a line.
func TestParticipantSize(t *testing.T) {
	if got := unsafe.Sizeof(participant{}); got != 128 {
		t.Errorf("unsafe.Sizeof(participant{}) = %d, want 128", got)
	}
}
