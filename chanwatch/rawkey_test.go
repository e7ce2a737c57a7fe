package chanwatch_test

// Written by a review: failed at f900289.

import (
	"testing"
	"time"

	"github.com/gridlock-go/gridlock/chanwatch"
)

//go:noinline
func reviewLeaf(ch chan int) int { return chanwatch.Recv(ch) + 1 }

//go:noinline
func reviewMid1(ch chan int) int { return reviewLeaf(ch) }

//go:noinline
func reviewMid2(ch chan int) int { return reviewMid1(ch) }

//go:noinline
func reviewFromA(ch chan int, done chan bool) { reviewMid2(ch); done <- true }

//go:noinline
func reviewFromB(ch chan int, done chan bool) { reviewMid2(ch); done <- true }

// Two waits whose user stacks differ in their fourth frame have different
// report keys (report.CauseID hashes the first four frames after
// gridlock's own), but sink.repeat's raw key hashes the first four PCs,
// the first of which is chanwatch.Recv's: the second blocked-wait is
// counted in the first, never reported.
func TestRawKeyNotCoarserThanReportKey(t *testing.T) {
	reports := start(t)
	a, b := make(chan int), make(chan int)
	done := make(chan bool)
	go reviewFromA(a, done)
	waitFor(t, reports, "blocked-wait")
	go reviewFromB(b, done)
	n := 0
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		n = 0
		for _, r := range reports() {
			if r.Kind == "blocked-wait" {
				n++
			}
		}
		if n == 2 {
			break
		}
	}
	var counts []int
	for _, r := range reports() {
		counts = append(counts, r.Count)
		t.Logf("%s %s count %d wait stack %v", r.Kind, r.ID, r.Count, r.Goroutines[0].WaitStack)
	}
	if n != 2 {
		t.Errorf("blocked-wait reports = %d (counts %v), want 2: one waits under reviewFromA, the other under reviewFromB", n, counts)
	}
	a <- 1
	b <- 1
	<-done
	<-done
}
