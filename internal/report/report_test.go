package report

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var t0 = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

// frame returns a frame of package bank, without PC, as parsed from a dump.
func frame(fn string, line int) Frame {
	return Frame{Function: "example.com/bank." + fn, File: "/src/bank/account.go", Line: line}
}

func stack(frames ...Frame) Stack { return Stack(frames) }

// testReports returns one report of each shape: a lock-order cycle, a
// deadlock, a blocked wait with a deep stack, a misuse report with labelled
// stacks, a channel report and a report without stacks.
func testReports() []Report {
	caller := frame("TestTransfer.func1", 77)
	cycle := Report{
		Kind:    LockOrderCycle,
		Summary: "lock order cycle: Mutex#1 -> Mutex#2 -> Mutex#1",
		Time:    t0,
		Count:   2,
		Test:    "TestTransfer",
		Edges: []Edge{
			{From: "Mutex#1", To: "Mutex#2", Goroutine: 7,
				FromStack: stack(frame("(*Account).Transfer", 40), caller),
				ToStack:   stack(frame("(*Account).Transfer", 41), caller)},
			{From: "Mutex#2", To: "Mutex#1", Goroutine: 8,
				FromStack: stack(frame("(*Account).Refund", 60), caller),
				ToStack:   stack(frame("(*Account).Refund", 61), caller)},
		},
		Objects: []Object{
			{Name: "Mutex#1", Type: "Mutex", Site: "example.com/bank.Open (account.go:12)"},
			{Name: "Mutex#2", Type: "Mutex", Site: "example.com/bank.Open (account.go:13)"},
		},
	}
	cycle.ID = cycle.CauseID()
	deadlock := Report{
		Kind:    Deadlock,
		Summary: "goroutines 7 and 8 wait for each other",
		Time:    t0.Add(time.Second),
		Count:   1,
		Test:    "TestTransfer",
		Wait:    3 * time.Second,
		Goroutines: []Goroutine{
			{ID: 7, State: "blocked [sync.Mutex.Lock]", WaitsFor: "Mutex#2", Waited: 3 * time.Second,
				WaitStack: stack(frame("(*Account).Transfer", 41), caller),
				Holds:     []Held{{Object: "Mutex#1", Mode: "write", Stack: stack(frame("(*Account).Transfer", 40), caller)}}},
			{ID: 8, State: "blocked [sync.Mutex.Lock]", WaitsFor: "Mutex#1", Waited: 2 * time.Second,
				WaitStack: stack(frame("(*Account).Refund", 61), caller),
				Holds:     []Held{{Object: "Mutex#2", Mode: "write", Stack: stack(frame("(*Account).Refund", 60), caller)}}},
		},
		Objects: cycle.Objects,
		Notes:   []string{"no other goroutine can release these locks"},
	}
	deadlock.ID = deadlock.CauseID()

	// A recursive walk: 5 frames of the same call, then 30 distinct ones.
	var deep Stack
	deep = append(deep, frame("(*Ledger).wait", 100))
	for range 5 {
		deep = append(deep, frame("(*Ledger).walk", 120))
	}
	for i := range 30 {
		deep = append(deep, frame(fmt.Sprintf("step%d", i), 200+i))
	}
	blocked := Report{
		Kind:    BlockedWait,
		Summary: "goroutine 12 waits for RWMutex#4 (read) for 1m0s",
		Time:    t0.Add(2 * time.Second),
		Count:   1,
		Wait:    time.Minute,
		Goroutines: []Goroutine{{
			ID: 12, State: "blocked [sync.RWMutex.RLock]", WaitsFor: "RWMutex#4 (read)", Waited: time.Minute,
			WaitStack: deep, CreatedBy: stack(frame("StartLedger", 30)),
			Note: "took RWMutex#4 for reading 3 times",
		}},
		Objects: []Object{{Name: "RWMutex#4", Type: "RWMutex", Site: "example.com/bank.NewLedger (ledger.go:9)"}},
	}
	blocked.ID = blocked.CauseID()
	unlock := Report{
		Kind:    UnlockOfUnlocked,
		Summary: "unlock of unlocked Mutex#3",
		Time:    t0.Add(3 * time.Second),
		Count:   1,
		Goroutines: []Goroutine{{ID: 9, State: "running",
			Stack: stack(frame("(*Account).Close", 90), frame("main", 10))}},
		Stacks: []Labelled{
			{Label: "previous unlock", Stack: stack(frame("(*Account).Close", 88), frame("main", 10))},
		},
		Objects: []Object{{Name: "Mutex#3", Type: "Mutex", Site: "example.com/bank.Open (account.go:14)"}},
	}
	unlock.ID = unlock.CauseID()
	closed := Report{
		Kind:    CloseOfClosed,
		Summary: "close of closed chan#1",
		Time:    t0.Add(4 * time.Second),
		Count:   3,
		Stacks: []Labelled{
			{Label: "goroutine 5", Stack: stack(frame("(*Feed).Stop", 50))},
			{Label: "first close, by goroutine 4", Stack: stack(frame("(*Feed).Stop", 50))},
		},
		Objects: []Object{{Name: "chan#1", Type: "chan", Site: "example.com/bank.NewFeed (feed.go:20)", Len: 0, Cap: 1}},
	}
	closed.ID = closed.CauseID()
	dropped := Report{
		Kind:    Dropped,
		ID:      "dropped-3",
		Summary: "3 reports were dropped (3 in all): the report queue or the report table was full",
		Time:    t0.Add(5 * time.Second),
		Count:   1,
	}
	return []Report{cycle, deadlock, blocked, unlock, closed, dropped}
}

func TestCauseID(t *testing.T) {
	base := testReports()[0]
	rotated := base
	rotated.Edges = []Edge{base.Edges[1], base.Edges[0]}
	rotated.ID = ""
	otherGoroutines := base
	otherGoroutines.Edges = []Edge{base.Edges[0], base.Edges[1]}
	otherGoroutines.Edges[0].Goroutine, otherGoroutines.Edges[1].Goroutine = 100, 101
	otherSite := base
	otherSite.Edges = []Edge{base.Edges[0], base.Edges[1]}
	otherSite.Edges[1].ToStack = stack(frame("(*Account).Refund", 62), frame("TestTransfer.func1", 77))
	otherKind := base
	otherKind.Kind = Deadlock
	otherTest := base // the same two sites and callers, reached from another test
	otherTest.Edges = []Edge{base.Edges[0], base.Edges[1]}
	otherTest.Edges[0].FromStack = append(slices.Clone(base.Edges[0].FromStack), frame("TestOther", 9))
	otherTest.Edges[0].ToStack = append(slices.Clone(base.Edges[0].ToStack), frame("TestOther", 9))
	otherCaller := base
	otherCaller.Edges = []Edge{base.Edges[0], base.Edges[1]}
	otherCaller.Edges[0].FromStack = stack(frame("(*Account).Transfer", 40), frame("(*Bank).Move", 12))

	tests := []struct {
		name string
		give Report
		same bool // whether give has base's id
	}{
		{"rotated cycle", rotated, true},
		{"other goroutines", otherGoroutines, true},
		{"other site", otherSite, false},
		{"other kind", otherKind, false},
		{"other test", otherTest, true},
		{"other caller", otherCaller, false},
	}
	want := base.CauseID()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.give.CauseID()
			if (got == want) != tt.same {
				t.Errorf("CauseID(%s) = %s, want same as %s: %v", tt.name, got, want, tt.same)
			}
		})
	}
}

// TestCauseIDIgnoresGoroutineIDs: the same two closes made by other
// goroutines are the same cause.
func TestCauseIDIgnoresGoroutineIDs(t *testing.T) {
	a := testReports()[4]
	b := a
	b.Stacks = slices.Clone(a.Stacks)
	b.Stacks[0].Label, b.Stacks[1].Label = "goroutine 17", "first close, by goroutine 23"
	if got, want := b.CauseID(), a.CauseID(); got != want {
		t.Errorf("CauseID(closes by goroutines 17, 23) = %s, want %s as for goroutines 5, 4", got, want)
	}
}

// TestCauseIDIgnoresWhatVariesInLabels: goroutines that leak alike (each
// blocked on a channel of its own, the same peer having sent on each, more
// or fewer times, more or less recently) are one cause, as is the same
// peer site listed twice; another site, or another role, is not.
func TestCauseIDIgnoresWhatVariesInLabels(t *testing.T) {
	peer := stack(frame("(*Pool).Submit", 30), frame("TestPool", 9))
	wait := stack(frame("(*worker).run", 68))
	leak := func(labels ...string) Report {
		r := Report{Kind: LeakedWait, Goroutines: []Goroutine{{ID: 20, WaitStack: wait}}}
		for _, l := range labels {
			r.Stacks = append(r.Stacks, Labelled{Label: l, Stack: peer})
		}
		return r
	}
	base := leak("goroutine 7 (running) sent on chan#3 1 time(s), last 2ms ago, at")
	tests := []struct {
		name string
		give Report
		same bool
	}{
		{"other channel, count, time, state", leak("goroutine 8 (blocked on chan#9) sent on chan#12 40 time(s), last 1.2s ago, at"), true},
		{"the peer site twice", leak("goroutine 7 (running) sent on chan#3 1 time(s), last 2ms ago, at", "goroutine 9 (exited) sent on chan#3 5 time(s), last 1s ago, at"), true},
		{"another role", leak("first close, by goroutine 7"), false},
	}
	want := base.CauseID()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.give.CauseID(); (got == want) != tt.same {
				t.Errorf("CauseID(%s) = %s, want same as %s: %v", tt.name, got, want, tt.same)
			}
		})
	}
}

func TestWriteTextGolden(t *testing.T) {
	var b bytes.Buffer
	for _, r := range testReports() {
		if err := WriteText(&b, &r); err != nil {
			t.Fatalf("WriteText(%s) = %v, want nil", r.Kind, err)
		}
	}
	golden(t, "text.golden", b.Bytes())

	got := b.String()
	for _, want := range []string{
		"... same frame repeated 4 more times\n",
		fmt.Sprintf("... %d more frames\n", 36-(MaxFrames+4)),
		"(seen 2 times)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("WriteText(reports) = ..., want it to contain %q", want)
		}
	}
}

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\n got:\n%s\nwant:\n%s", path, got, want)
	}
}

func TestReadErrors(t *testing.T) {
	var good bytes.Buffer
	for _, r := range testReports()[:2] {
		WriteJSON(&good, &r)
	}
	first, _, _ := strings.Cut(good.String(), "\n")

	tests := []struct {
		name string
		give []byte
		want string // prefix of the error
	}{
		{"truncated json line", []byte(first + "\n" + first[:len(first)/2] + "\n"), "parse json: line 2: "},
		{"unknown kind", []byte(`{"kind":"livelock","id":"x","summary":"s","time":"2025-01-01T00:00:00Z","count":1}` + "\n"), "check: line 1: "},
		{"no summary", []byte("\n" + `{"kind":"deadlock","id":"x","summary":"","time":"2025-01-01T00:00:00Z","count":1}`), "check: line 2: "},
		{"unknown field", []byte(`{"kind":"deadlock","summary":"s","colour":1}`), "parse json: line 1: "},
		{"cpu profile", cpuProfile(t), "check: not a gridlock profile"},
		{"text", []byte("hello"), "parse profile: "},
		{"truncated profile", truncate(profileBytes(t, testReports()), 2), "parse profile: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(tt.give))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("Read(%s) = %v, want error %q...", tt.name, err, tt.want)
			}
		})
	}
}

func TestReadJSONLines(t *testing.T) {
	want := testReports()
	var b bytes.Buffer
	for i := range want {
		WriteJSON(&b, &want[i])
	}
	got, err := Read(&b)
	if err != nil {
		t.Fatalf("Read(JSON lines) = %v", err)
	}
	if d := diffReports(got, want); d != "" {
		t.Errorf("Read(JSON lines) = reports that differ: %s", d)
	}
}

func truncate(b []byte, div int) []byte { return b[:len(b)/div] }

func TestReadJSONEdges(t *testing.T) {
	valid := `{"kind":"deadlock","id":"x","summary":"s","time":"2026-01-01T00:00:00Z","count":1}`
	tests := []struct {
		give    string
		want    int
		wantErr string
	}{
		{give: " \r\n" + valid + "\n", want: 1},
		{give: "", want: 0},
		{give: valid + ` {"kind":"deadlock"}` + "\n", wantErr: "parse json: line 1: data after the report"},
	}
	for _, tt := range tests {
		got, err := Read(strings.NewReader(tt.give))
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Read(%q) error = %v, want %q", tt.give, err, tt.wantErr)
			}
			continue
		}
		if err != nil || len(got) != tt.want {
			t.Errorf("Read(%q) = %d reports, %v, want %d, nil", tt.give, len(got), err, tt.want)
		}
	}
}
