package core

import (
	"hash/maphash"
	"runtime"
	"strings"
	"sync"

	"github.com/gridlock-go/gridlock/internal/report"
)

// stackID names an interned stack; 0 is "no stack".
type stackID uint32

// stackTable stores each distinct stack once. Edges and reports refer to
// stacks by id.
type stackTable struct {
	mu    sync.Mutex
	seed  maphash.Seed
	ids   map[uint64][]stackID
	stack [][]uintptr // index id-1
}

func newStackTable() *stackTable {
	return &stackTable{seed: maphash.MakeSeed(), ids: make(map[uint64][]stackID)}
}

func (t *stackTable) intern(pcs []uintptr) stackID {
	if len(pcs) == 0 {
		return 0
	}
	var h maphash.Hash
	h.SetSeed(t.seed)
	for _, pc := range pcs {
		var b [8]byte
		for i := range b {
			b[i] = byte(pc >> (8 * i))
		}
		h.Write(b[:])
	}
	sum := h.Sum64()
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, id := range t.ids[sum] {
		if equalPCs(t.stack[id-1], pcs) {
			return id
		}
	}
	t.stack = append(t.stack, append([]uintptr(nil), pcs...))
	id := stackID(len(t.stack))
	t.ids[sum] = append(t.ids[sum], id)
	return id
}

func (t *stackTable) get(id stackID) []uintptr {
	if id == 0 {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.stack[id-1]
}

func (t *stackTable) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.stack)
}

func equalPCs(a, b []uintptr) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// fullStack captures up to 64 return addresses of the caller's callers.
func fullStack(skip int) []uintptr {
	pcs := make([]uintptr, 64)
	n := runtime.Callers(skip+2, pcs)
	return pcs[:n]
}

// internalPrefixes are the packages whose frames reports leave out: the
// user wants to see their own code, not gridlock's wrappers.
var internalPrefixes = []string{
	"github.com/gridlock-go/gridlock/detect.",
	"github.com/gridlock-go/gridlock/chanwatch.",
	"github.com/gridlock-go/gridlock/internal/",
}

func isInternal(fn string) bool {
	for _, p := range internalPrefixes {
		if strings.HasPrefix(fn, p) {
			return true
		}
	}
	return false
}

// symbolize turns return addresses into frames, leaving out gridlock's own
// frames at the top and the runtime's goroutine entry at the bottom.
func symbolize(pcs []uintptr) report.Stack {
	if len(pcs) == 0 {
		return nil
	}
	var out report.Stack
	frames := runtime.CallersFrames(pcs)
	top := true
	for {
		f, more := frames.Next()
		if top && isInternal(f.Function) {
			if !more {
				break
			}
			continue
		}
		top = false
		if f.Function == "runtime.goexit" {
			break
		}
		out = append(out, report.Frame{Function: f.Function, File: f.File, Line: f.Line, PC: f.PC})
		if !more {
			break
		}
	}
	return out
}
