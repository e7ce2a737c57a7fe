package main

import (
	"os"
	"testing"
)

func TestBug(t *testing.T) {
	if os.Getenv("GRIDLOCK") == "" {
		t.Skip("this bug hangs or leaks without gridlock: run it with gridlock test")
	}
	if err := run(false); err == nil {
		t.Fatal("run(false) did not panic")
	}
}

func TestFixed(t *testing.T) {
	if err := run(true); err != nil {
		t.Fatal(err)
	}
}
