// Package testinline lets tests check that the functions gridlock keeps
// small enough to inline do inline into their callers: a few more
// statements in one and it is a call again, which no other test sees.
package testinline

import (
	"os"
	"os/exec"
	"regexp"
	"testing"
	"unsafe"
)

// Check builds the package in dir with the compiler's inlining decisions
// printed and fails t for each of funcs (as the compiler prints them, e.g.
// "chanwatch.Send[" or "detect.(*Mutex).Lock") that is not inlined into a
// caller there. It skips on 32-bit systems, where atomic operations are
// calls that the inliner charges as such, and without a go command.
func Check(t testing.TB, dir string, funcs ...string) {
	t.Helper()
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("on 32-bit systems atomic operations are calls, which the inliner charges as such")
	}
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	cmd := exec.Command(gotool, "build", "-gcflags=-m=2", "-o", os.DevNull, ".")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go build -gcflags=-m=2: %v\n%s", err, out)
	}
	for _, fn := range funcs {
		if !regexp.MustCompile(`(?m): inlining call to ` + regexp.QuoteMeta(fn)).Match(out) {
			t.Errorf("%s is not inlined into its caller in %s (go build -gcflags=-m=2 on its package says why)", fn, dir)
		}
	}
}
