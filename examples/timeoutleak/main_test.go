package main

import (
	"os"
	"testing"
	"time"
)

func TestBug(t *testing.T) {
	if os.Getenv("GRIDLOCK") == "" {
		t.Skip("this bug leaks a goroutine, which go test does not see: run it with gridlock test")
	}
	if _, err := Call("q", time.Millisecond, false); err == nil {
		t.Fatal("Call did not time out")
	}
	time.Sleep(50 * time.Millisecond) // the reply is sent, and blocks for good
}

func TestFixed(t *testing.T) {
	if _, err := Call("q", time.Millisecond, true); err == nil {
		t.Fatal("Call did not time out")
	}
	time.Sleep(50 * time.Millisecond) // the reply is sent into the buffer and the goroutine ends
}
