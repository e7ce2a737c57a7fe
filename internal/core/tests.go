package core

import "sync"

// testGoroutines names the goroutines that ran a test (NoteTest): a report
// about a goroutine that a test started names the test through the
// goroutine's creator, found in a goroutine dump while it lives, and
// through this registry once it has exited (a leak found at the end of the
// test binary). Goroutine ids are never reused.
var testGoroutines struct {
	mu    sync.Mutex
	names map[int64]string
}

// maxTestGoroutines bounds the registry: a suite of more tests and subtests
// than this names the later ones only while their goroutines live.
const maxTestGoroutines = 1 << 16

// NoteTest records that goroutine id runs the test name.
func NoteTest(id int64, name string) {
	testGoroutines.mu.Lock()
	defer testGoroutines.mu.Unlock()
	if testGoroutines.names == nil {
		testGoroutines.names = make(map[int64]string)
	}
	if len(testGoroutines.names) < maxTestGoroutines {
		testGoroutines.names[id] = name
	}
}

// testOfGoroutine returns the test goroutine id ran (NoteTest), or "".
func testOfGoroutine(id int64) string {
	testGoroutines.mu.Lock()
	defer testGoroutines.mu.Unlock()
	return testGoroutines.names[id]
}
