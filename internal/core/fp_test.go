package core

import (
	"runtime"
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
