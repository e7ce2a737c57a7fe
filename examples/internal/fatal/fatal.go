// Package fatal runs an example's bug whose end is one of the runtime's
// fatal errors, which no recover stops and which would end the other tests
// with it: in a child process, this test binary again.
package fatal

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

const childEnv = "GRIDLOCK_EXAMPLE_CHILD"

// Expect runs bug in a child process (the test binary, running only the
// calling test) and fails t unless the child dies with the fatal error msg
// (e.g. "sync: unlock of unlocked mutex"). In the child, it runs bug.
func Expect(t *testing.T, msg string, bug func()) {
	t.Helper()
	if os.Getenv(childEnv) == t.Name() {
		bug()
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$")
	cmd.Env = append(os.Environ(), childEnv+"="+t.Name())
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "fatal error: "+msg) {
		t.Fatalf("the child ended with %v, want the fatal error %q; output:\n%s", err, msg, out)
	}
}
