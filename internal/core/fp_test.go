package core

import (
	"runtime"
	"slices"
	"strings"
	"testing"
)

//go:noinline
func fpLevel3(pcs []uintptr) int { return captureHere(pcs) }

//go:noinline
func fpLevel2(pcs []uintptr) int { return fpLevel3(pcs) }

//go:noinline
func fpLevel1(pcs []uintptr) int { return fpLevel2(pcs) }

//go:noinline
func captureHere(pcs []uintptr) int { return callers(pcs) }

func TestCallersMatchesRuntime(t *testing.T) {
	pcs := make([]uintptr, 8)
	n := fpLevel1(pcs)
	if n < 4 {
		t.Fatalf("callers() = %d frames, want at least 4", n)
	}
	var got []string
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		got = append(got, f.Function[strings.LastIndexByte(f.Function, '.')+1:])
		if !more {
			break
		}
	}
	want := []string{"fpLevel3", "fpLevel2", "fpLevel1", "TestCallersMatchesRuntime"}
	for i, w := range want {
		if i >= len(got) || got[i] != w {
			t.Fatalf("callers() frames = %v, want prefix %v", got, want)
		}
	}
}

func TestCallersAllocs(t *testing.T) {
	var pcs [8]uintptr
	if a := testing.AllocsPerRun(100, func() { fpLevel1(pcs[:]) }); a != 0 {
		t.Errorf("callers allocs = %v, want 0", a)
	}
}

func BenchmarkCallers8(b *testing.B) {
	var pcs [8]uintptr
	for b.Loop() {
		fpLevel1(pcs[:])
	}
}

func BenchmarkRuntimeCallers8(b *testing.B) {
	var pcs [8]uintptr
	for b.Loop() {
		runtime.Callers(1, pcs[:])
	}
}

//go:noinline
func walkHere(pcs []uintptr, skip int) int {
	if len(pcs) == 0 {
		n, _ := fpWalk(nil, 0, skip)
		return n
	}
	n, _ := fpWalk(&pcs[0], len(pcs), skip)
	return n
}

//go:noinline
func walkLevel2(pcs []uintptr, skip int) int { return walkHere(pcs, skip) }

//go:noinline
func walkLevel1(pcs []uintptr, skip int) int { return walkLevel2(pcs, skip) }

// walkDeep calls walkLevel1 depth frames deeper.
//
//go:noinline
func walkDeep(depth int, pcs []uintptr, skip int) int {
	if depth == 0 {
		return walkLevel1(pcs, skip)
	}
	return walkDeep(depth-1, pcs, skip)
}

// frameNames returns the function names of pcs, innermost first.
func frameNames(pcs []uintptr) []string {
	var out []string
	if len(pcs) == 0 {
		return out
	}
	frames := runtime.CallersFrames(pcs)
	for {
		f, more := frames.Next()
		out = append(out, f.Function)
		if !more {
			return out
		}
	}
}

// TestFPWalkSkipAndCount checks the walk's counts and skips against a
// full walk, which names the frames runtime.Callers names (and the
// wrappers it hides) down to the goroutine's first frame.
func TestFPWalkSkipAndCount(t *testing.T) {
	var all [64]uintptr
	ref := frameNames(all[:walkLevel1(all[:], 0)])
	const pkg = "github.com/gridlock-go/gridlock/internal/core."
	if len(ref) < 4 || ref[0] != pkg+"walkLevel2" || ref[1] != pkg+"walkLevel1" || ref[2] != pkg+"TestFPWalkSkipAndCount" || ref[len(ref)-1] != "runtime.goexit" {
		t.Fatalf("fpWalk(n=64, skip=0) = %v, want walkLevel2, walkLevel1, TestFPWalkSkipAndCount ... runtime.goexit", ref)
	}
	for _, give := range []struct{ n, skip int }{
		{0, 0}, {1, 0}, {3, 0}, {6, 0}, {6, 1}, {6, 2}, {3, 4}, {64, 1}, {2, 60}, {1, 1000},
	} {
		lo := min(give.skip, len(ref))
		hi := min(lo+give.n, len(ref))
		pcs := make([]uintptr, give.n)
		got := frameNames(pcs[:walkLevel1(pcs, give.skip)])
		if want := ref[lo:hi]; !slices.Equal(got, want) {
			t.Errorf("fpWalk(n=%d, skip=%d) = %v, want %v", give.n, give.skip, got, want)
		}
	}
	// Six frames (amd64's unrolled walk) on stacks of every depth around
	// six: the walk ends at each of its frames.
	for depth := range 8 {
		var all [64]uintptr
		ref := frameNames(all[:walkDeep(depth, all[:], 0)])
		for skip := range len(ref) + 1 {
			var pcs [6]uintptr
			n := walkDeep(depth, pcs[:], skip)
			got := frameNames(pcs[:n])
			if want := ref[skip:min(skip+6, len(ref))]; n != len(want) || !slices.Equal(got, want) {
				t.Errorf("at depth %d, fpWalk(n=6, skip=%d) = %d frames %v, want %d: %v", depth, skip, n, got, len(want), want)
			}
		}
	}
}
