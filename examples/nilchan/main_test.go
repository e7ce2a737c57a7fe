package main

import (
	"os"
	"testing"
)

func TestBug(t *testing.T) {
	if os.Getenv("GRIDLOCK") == "" {
		t.Skip("this bug leaks a goroutine: run it with gridlock test")
	}
	run(false)
}

func TestFixed(t *testing.T) {
	if !run(true) {
		t.Fatal("run(true): Publish did not return")
	}
}
