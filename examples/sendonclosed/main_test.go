package main

import (
	"os"
	"testing"
)

func TestBug(t *testing.T) {
	if os.Getenv("GRIDLOCK") == "" {
		t.Skip("this bug panics in its workers: run it with gridlock test")
	}
	if _, panics := Crawl(4, 5, false); panics == 0 {
		t.Fatal("Crawl(4, 5, false): no worker sent on the closed channel")
	}
}

func TestFixed(t *testing.T) {
	links, panics := Crawl(4, 5, true)
	if len(links) != 5 || panics != 0 {
		t.Fatalf("Crawl(4, 5, true) = %d links, %d panics; want 5, 0", len(links), panics)
	}
}
