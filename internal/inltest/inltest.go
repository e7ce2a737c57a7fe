// Package inltest checks, in tests, that the compiler inlines what gridlock
// means to be inlined: the fast paths whose cost with gridlock off is
// measured against sync and native channels. A few more statements in one
// of them and the compiler makes it a call again, which no other test sees.
package inltest

import (
	"os"
	"os/exec"
	"regexp"
)

// TestingT is the part of *testing.T that Check uses.
type TestingT interface {
	Helper()
	Skipf(format string, args ...any)
	Fatalf(format string, args ...any)
	Errorf(format string, args ...any)
}

// Check builds the package in dir with the compiler's inlining decisions
// printed (-gcflags=-m=2) and fails t for each line of want that is not
// among them, such as "can inline (*Mutex).Lock" or "inlining call to
// chanwatch.Send[". It skips t when there is no go command.
func Check(t TestingT, dir string, want ...string) {
	t.Helper()
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	cmd := exec.Command(gotool, "build", "-gcflags=-m=2", "-o", os.DevNull, ".")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go build -gcflags=-m=2 in %s: %v\n%s", dir, err, out)
	}
	for _, w := range want {
		if !regexp.MustCompile(`(?m): ` + regexp.QuoteMeta(w)).Match(out) {
			t.Errorf("go build -gcflags=-m=2 in %s does not say %q; its lines about it:\n%s", dir, w, about(out, w))
		}
	}
}

// about returns the compiler's lines that name the function in w (its
// last word).
func about(out []byte, w string) []byte {
	fn := regexp.MustCompile(`\S+$`).FindString(w)
	return regexp.MustCompile(`(?m)^.*inline.* ` + regexp.QuoteMeta(fn) + `.*$`).Find(out)
}
