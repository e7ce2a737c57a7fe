package main

import "testing"

func TestBug(t *testing.T) {
	if a, b := run(false); a != 95 || b != 105 {
		t.Fatalf("run(false) = %d, %d, want 95, 105", a, b)
	}
}

func TestFixed(t *testing.T) {
	if a, b := run(true); a != 95 || b != 105 {
		t.Fatalf("run(true) = %d, %d, want 95, 105", a, b)
	}
}
