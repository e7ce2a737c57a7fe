package main

import "testing"

func TestBug(t *testing.T) {
	if got := run(false); got != 1 {
		t.Fatalf("run(false) = %d, want 1", got)
	}
}

func TestFixed(t *testing.T) {
	if got := run(true); got != 1 {
		t.Fatalf("run(true) = %d, want 1", got)
	}
}
