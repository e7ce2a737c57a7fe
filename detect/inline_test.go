//go:build !gridlock_off

package detect_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"unsafe"
)

// TestIntendedInlining checks that Mutex.Lock and Unlock inline into their
// callers, so that with gridlock off they cost what sync's do (a load and
// sync's CAS, where a call used to add 13%): it builds testdata/inline with
// the compiler's inlining decisions printed. Lock is at the inliner's
// budget: one more node in it and it is a call again, which no other test
// sees.
func TestIntendedInlining(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("on 32-bit systems atomic operations are calls, which the inliner charges as such")
	}
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	cmd := exec.Command(gotool, "build", "-gcflags=-m=2", "-o", os.DevNull, ".")
	cmd.Dir = filepath.Join("testdata", "inline")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go build -gcflags=-m=2: %v\n%s", err, out)
	}
	for _, fn := range []string{"Lock", "Unlock"} {
		if !regexp.MustCompile(`(?m): inlining call to detect\.\(\*Mutex\)\.` + fn + `$`).Match(out) {
			t.Errorf("detect.(*Mutex).%s is not inlined into its caller (go build -gcflags=-m=2 ./detect says why)", fn)
		}
	}
}
