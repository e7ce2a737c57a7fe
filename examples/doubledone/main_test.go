package main

import (
	"os"
	"testing"
	"time"
)

func TestBug(t *testing.T) {
	if os.Getenv("GRIDLOCK") == "" {
		t.Skip("this bug panics: run it with gridlock test")
	}
	UploadAll([]string{"", "b", "c"}, false)
	time.Sleep(10 * time.Millisecond) // Wait may return before the other uploads end
}

func TestFixed(t *testing.T) {
	if failed, panicked := UploadAll([]string{"", "b", "c"}, true); failed != 1 || panicked {
		t.Fatalf("UploadAll(...) = %d, %v; want 1, false", failed, panicked)
	}
}
