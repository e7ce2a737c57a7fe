package core

import (
	"bytes"
	"runtime"
	"strconv"
	"strings"

	"github.com/gridlock-go/gridlock/internal/report"
)

// gdump is one goroutine of a runtime.Stack(all) dump.
type gdump struct {
	id        int64
	state     string // the runtime's wait reason, e.g. "chan receive"
	stack     report.Stack
	createdBy report.Stack
	parent    int64
}

// snapshot is a parsed dump of all goroutines.
type snapshot map[int64]*gdump

// takeSnapshot dumps and parses every goroutine's stack. It stops the world
// briefly: call it only on slow paths (a wait past a threshold, a report).
func takeSnapshot() snapshot {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return parseDump(buf[:n])
		}
		buf = make([]byte, 2*len(buf))
	}
}

// Goroutines returns the ids of the goroutines alive now (from a goroutine
// dump: ids are not given out in order across Ps, so they cannot tell
// which goroutines are older than a moment).
func Goroutines() map[int64]bool {
	snap := takeSnapshot()
	ids := make(map[int64]bool, len(snap))
	for id := range snap {
		ids[id] = true
	}
	return ids
}

// parseDump parses the text of runtime.Stack(buf, true).
func parseDump(b []byte) snapshot {
	s := make(snapshot)
	var cur *gdump
	lines := bytes.Split(b, []byte("\n"))
	for i := 0; i < len(lines); i++ {
		line := string(lines[i])
		switch {
		case strings.HasPrefix(line, "goroutine "):
			cur = parseHeader(line)
			if cur != nil {
				s[cur.id] = cur
			}
		case cur == nil || line == "":
		case strings.HasPrefix(line, "created by "):
			fn := strings.TrimPrefix(line, "created by ")
			if j := strings.Index(fn, " in goroutine "); j >= 0 {
				cur.parent, _ = strconv.ParseInt(fn[j+len(" in goroutine "):], 10, 64)
				fn = fn[:j]
			}
			f := report.Frame{Function: fn}
			if i+1 < len(lines) {
				f.File, f.Line = parseFileLine(string(lines[i+1]))
				i++
			}
			cur.createdBy = report.Stack{f}
		case !strings.HasPrefix(line, "\t"):
			fn := line
			if j := strings.LastIndexByte(fn, '('); j > 0 {
				fn = fn[:j]
			}
			f := report.Frame{Function: fn}
			if i+1 < len(lines) && strings.HasPrefix(string(lines[i+1]), "\t") {
				f.File, f.Line = parseFileLine(string(lines[i+1]))
				i++
			}
			if !strings.HasPrefix(fn, "...") {
				cur.stack = append(cur.stack, f)
			}
		}
	}
	return s
}

func parseHeader(line string) *gdump {
	rest := strings.TrimPrefix(line, "goroutine ")
	sp := strings.IndexByte(rest, ' ')
	if sp < 0 {
		return nil
	}
	id, err := strconv.ParseInt(rest[:sp], 10, 64)
	if err != nil {
		return nil
	}
	g := &gdump{id: id}
	if a, b := strings.IndexByte(rest, '['), strings.LastIndexByte(rest, ']'); a >= 0 && b > a {
		g.state = rest[a+1 : b]
	}
	return g
}

func parseFileLine(s string) (string, int) {
	s = strings.TrimSpace(s)
	if j := strings.LastIndex(s, " +0x"); j >= 0 {
		s = s[:j]
	}
	c := strings.LastIndexByte(s, ':')
	if c < 0 {
		return s, 0
	}
	n, _ := strconv.Atoi(s[c+1:])
	return s[:c], n
}

// userStack drops from the top of a dumped stack the runtime's and sync's
// frames (a goroutine parked in a lock or channel operation) and gridlock's
// own wrappers, leaving the user's code on top.
func userStack(s report.Stack) report.Stack {
	i := 0
	for i < len(s) && (isInternal(s[i].Function) || isRuntime(s[i].Function)) {
		i++
	}
	if i == len(s) {
		return s
	}
	return s[i:]
}

func isRuntime(fn string) bool {
	return strings.HasPrefix(fn, "runtime.") || strings.HasPrefix(fn, "sync.") || strings.HasPrefix(fn, "internal/sync.") || strings.HasPrefix(fn, "sync/atomic.")
}

// testName finds the test a goroutine belongs to: the one its goroutine or
// the goroutine that created it ran (NoteTest, which also knows exited
// goroutines), else the function called by testing.tRunner in their
// stacks, following parents while they are alive.
func (s snapshot) testName(id int64) string {
	for depth := 0; depth < 64; depth++ {
		if name := testOfGoroutine(id); name != "" {
			return name
		}
		g := s[id]
		if g == nil {
			return ""
		}
		if name := testInStack(g.stack); name != "" {
			return name
		}
		if len(g.createdBy) > 0 && strings.HasPrefix(g.createdBy[0].Function, "testing.") {
			return ""
		}
		id = g.parent
	}
	return ""
}

func testInStack(s report.Stack) string {
	for i, f := range s {
		if f.Function == "testing.tRunner" && i > 0 && !strings.HasPrefix(s[i-1].Function, "testing.") {
			// (The main goroutine runs testing's own function under
			// tRunner, runTests.func1, while the tests run: not a test.)
			fn := s[i-1].Function
			if j := strings.LastIndexByte(fn, '/'); j >= 0 {
				fn = fn[j+1:]
			}
			if j := strings.IndexByte(fn, '.'); j >= 0 {
				fn = fn[j+1:]
			}
			return fn
		}
	}
	return ""
}
