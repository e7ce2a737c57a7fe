//go:build !gridlock_off

package detect

import (
	"testing"

	"github.com/gridlock-go/gridlock/internal/inltest"
)

// TestIntendedInlining checks that Mutex's Lock and Unlock inline into their
// callers, as sync's do (see fast.go).
func TestIntendedInlining(t *testing.T) {
	inltest.Check(t, ".", "can inline (*Mutex).Lock ", "can inline (*Mutex).Unlock ")
}
