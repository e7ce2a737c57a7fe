//go:build !gridlock_off

package detect_test

import (
	"path/filepath"
	"testing"

	"github.com/gridlock-go/gridlock/internal/testinline"
)

// TestIntendedInlining checks that Mutex.Lock and Unlock inline into their
// callers (testdata/inline), so that with gridlock off they cost what
// sync's do: a load and sync's CAS, where a call used to add 13%. Lock is
// at the inliner's budget.
func TestIntendedInlining(t *testing.T) {
	testinline.Check(t, filepath.Join("testdata", "inline"), "detect.(*Mutex).Lock", "detect.(*Mutex).Unlock")
}
