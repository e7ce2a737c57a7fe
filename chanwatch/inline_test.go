package chanwatch_test

import (
	"path/filepath"
	"testing"

	"github.com/gridlock-go/gridlock/internal/testinline"
)

// TestIntendedInlining checks that Send and Recv inline into their callers
// (testdata/inline), so that with gridlock off they cost the native
// operation and a load.
func TestIntendedInlining(t *testing.T) {
	testinline.Check(t, filepath.Join("testdata", "inline"), "chanwatch.Send[", "chanwatch.Recv[")
}
