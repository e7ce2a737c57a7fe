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
	fatal.Expect(t, "sync: unlock of unlocked mutex", func() {
		NewQueue().Pop(false) // the queue is empty: Pop waits, without the lock
	})
}

func TestFixed(t *testing.T) {
	if got := run(true); got != 7 {
		t.Fatalf("run(true) = %d, want 7", got)
	}
}
