package main

import (
	"os"
	"testing"

	"github.com/gridlock-go/gridlock/examples/internal/fatal"
)

func TestBug(t *testing.T) {
	if os.Getenv("GRIDLOCK") == "" {
		t.Skip("this bug is a fatal error: run it with gridlock test")
	}
	fatal.Expect(t, "sync: unlock of unlocked mutex", func() { run(false) })
}

func TestFixed(t *testing.T) {
	if got := run(true); got != 1 {
		t.Fatalf("run(true) = %d sessions, want 1", got)
	}
}
