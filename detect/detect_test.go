//go:build !gridlock_off

package detect_test

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gridlock-go/gridlock/detect"
)

// names reports whether stack names every function in fns (suffix match on
// the function name).
func names(s detect.Stack, fns ...string) bool {
	for _, fn := range fns {
		found := false
		for _, f := range s {
			if strings.HasSuffix(f.Function, fn) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func onlyKind(t *testing.T, reps []detect.Report, want detect.Kind) detect.Report {
	t.Helper()
	if len(reps) != 1 || reps[0].Kind != want {
		for _, r := range reps {
			t.Log(detect.WriteText(tlog{t}, &r))
		}
		t.Fatalf("reports = %v, want exactly one %s", kinds(reps), want)
	}
	return reps[0]
}

// blockedIn reports whether a goroutine is parked with the runtime's wait
// reason state (e.g. "sync.Mutex.Lock") and fn (a function name with its
// package, e.g. "detect_test.blockOn") on its stack. gridlock publishes a
// tracked wait before its goroutine parks, so once this is true the wait is
// there to be seen.
func blockedIn(fn, state string) bool {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	for _, g := range strings.Split(string(buf), "\n\n") {
		header, body, _ := strings.Cut(g, "\n")
		if strings.Contains(header, "["+state) && strings.Contains(body, fn+"(") {
			return true
		}
	}
	return false
}

// awaitBlocked waits until blockedIn(fn, state): a sleep is not enough for
// the goroutine to have got that far on a loaded machine.
func awaitBlocked(t *testing.T, fn, state string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !blockedIn(fn, state); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no goroutine parked in %s with %s on its stack after 10s", state, fn)
		}
	}
}

type tlog struct{ t *testing.T }

func (l tlog) Write(p []byte) (int, error) { l.t.Log(string(p)); return len(p), nil }

//go:noinline
func lockAB(a, b *detect.Mutex) {
	a.Lock()
	b.Lock()
	b.Unlock()
	a.Unlock()
}

//go:noinline
func lockBA(a, b *detect.Mutex) {
	b.Lock()
	a.Lock()
	a.Unlock()
	b.Unlock()
}

func TestLockOrderCycleAB(t *testing.T) {
	reports := start(t)
	var a, b detect.Mutex
	lockAB(&a, &b)
	lockBA(&a, &b)
	r := onlyKind(t, reports(), detect.KindLockOrderCycle)
	if len(r.Edges) != 2 {
		t.Fatalf("edges = %d, want 2", len(r.Edges))
	}
	var from, to []string
	for _, e := range r.Edges {
		from = append(from, e.FromStack.Top().Function)
		to = append(to, e.ToStack.Top().Function)
	}
	for _, s := range [][]string{from, to} {
		if !(strings.HasSuffix(s[0], "lockAB") && strings.HasSuffix(s[1], "lockBA") || strings.HasSuffix(s[0], "lockBA") && strings.HasSuffix(s[1], "lockAB")) {
			t.Errorf("edge frames = %v, want lockAB and lockBA", s)
		}
	}
}

func TestLockOrderConsistentIsSilent(t *testing.T) {
	reports := start(t)
	var a, b detect.Mutex
	lockAB(&a, &b)
	lockAB(&a, &b)
	if r := reports(); len(r) != 0 {
		t.Fatalf("reports = %v, want none", kinds(r))
	}
}
