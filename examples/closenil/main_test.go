package main

import (
	"os"
	"testing"
)

func TestBug(t *testing.T) {
	if os.Getenv("GRIDLOCK") == "" {
		t.Skip("this bug panics: run it with gridlock test")
	}
	if got := run(false); got != 1 {
		t.Fatalf("run(false) = %d panics, want 1", got)
	}
}

func TestFixed(t *testing.T) {
	if got := run(true); got != 0 {
		t.Fatalf("run(true) = %d panics, want 0", got)
	}
}
