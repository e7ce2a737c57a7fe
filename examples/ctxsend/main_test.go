package main

import (
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
	if got := run(true); got != "answer from 1" {
		t.Fatalf("run(true) = %q", got)
	}
}
