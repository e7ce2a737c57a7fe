package main

import (
	"fmt"
	"os"
	"testing"
)

func TestBug(t *testing.T) {
	if os.Getenv("GRIDLOCK") == "" {
		t.Skip("this bug hangs or leaks without gridlock: run it with gridlock test")
	}
	run(false)
	select {} // the test would pass; the leaked senders are what gridlock reports
}

func TestFixed(t *testing.T) {
	// Any backend may answer first: their delays (5, 10, 15 ms) do not
	// order them on a loaded machine.
	got := run(true)
	for b := 1; b <= 3; b++ {
		if got == fmt.Sprintf("answer from %d", b) {
			return
		}
	}
	t.Fatalf("run(true) = %q, want the answer of one of the 3 backends", got)
}
