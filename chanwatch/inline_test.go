package chanwatch_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"unsafe"
)

// TestIntendedInlining checks that Send and Recv inline into their callers,
// so that with gridlock off they cost the native operation and a load: it
// builds testdata/inline, which calls them, with the compiler's inlining
// decisions printed. A few more statements in them and they are calls
// again, which no other test sees.
func TestIntendedInlining(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("on 32-bit systems atomic loads are calls, which the inliner charges as such")
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
	for _, fn := range []string{"Send", "Recv"} {
		if !regexp.MustCompile(`(?m): inlining call to chanwatch\.` + fn + `\[`).Match(out) {
			why := regexp.MustCompile(`(?m)^.*inline chanwatch\.` + fn + `\[.*$`).Find(out)
			t.Errorf("chanwatch.%s is not inlined into its caller; the compiler says:\n%s", fn, why)
		}
	}
}
