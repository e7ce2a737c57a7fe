package main

import (
	"os"
	"testing"
)

func TestBug(t *testing.T) {
	if os.Getenv("GRIDLOCK") == "" {
		t.Skip("this bug hangs forever without gridlock: run it with gridlock test")
	}
	run(false)
}

func TestFixed(t *testing.T) {
	if got := run(true); got != "hello" {
		t.Fatalf("run(true) = %q, want hello", got)
	}
}
