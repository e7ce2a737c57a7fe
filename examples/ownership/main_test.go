package main

import (
	"os"
	"strings"
	"testing"
)

func TestBug(t *testing.T) {
	if os.Getenv("GRIDLOCK") == "" {
		t.Skip("the ownership rule is checked by gridlock: run it with gridlock test")
	}
	run(false)
}

func TestFixed(t *testing.T) {
	if got := strings.Count(run(true), "\n"); got != 20 {
		t.Fatalf("run(true) wrote %d lines, want 20", got)
	}
}
