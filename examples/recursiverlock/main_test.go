package main

import "testing"

func TestBug(t *testing.T) {
	if got := run(false); got != 2 {
		t.Fatalf("run(false) = %d, want 2", got)
	}
}

func TestFixed(t *testing.T) {
	if got := run(true); got != 2 {
		t.Fatalf("run(true) = %d, want 2", got)
	}
}
