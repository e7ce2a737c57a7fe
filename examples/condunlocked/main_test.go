package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestBug runs the bug in a child process (this test binary again): sync's
// fatal error cannot be recovered and would end the other tests.
func TestBug(t *testing.T) {
	if os.Getenv("GRIDLOCK") == "" {
		t.Skip("this bug is a fatal error: run it with gridlock test")
	}
	if os.Getenv("CONDUNLOCKED_CHILD") != "" {
		q := NewQueue()
		q.Pop(false) // the queue is empty: Pop waits, without the lock
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestBug$")
	cmd.Env = append(os.Environ(), "CONDUNLOCKED_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "fatal error: sync: unlock of unlocked mutex") {
		t.Fatalf("the child ended with %v, want sync's fatal error; output:\n%s", err, out)
	}
}

func TestFixed(t *testing.T) {
	if got := run(true); got != 7 {
		t.Fatalf("run(true) = %d, want 7", got)
	}
}
