package main

import (
	"bytes"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gridlock-go/gridlock/internal/report"
)

func TestParseHeader(t *testing.T) {
	doc := "Package x is a cache.\n\ncorpus:category resource/abba\ncorpus:frames (*Cache).Refresh (*Cache).Get\n"
	cat, frames, err := parseHeader(doc)
	if err != nil {
		t.Fatal(err)
	}
	if cat != "resource/abba" || len(frames) != 2 || frames[0] != "(*Cache).Refresh" || frames[1] != "(*Cache).Get" {
		t.Errorf("got %q %q", cat, frames)
	}
	for _, bad := range []string{
		"no header",
		"corpus:category resource/abba\n",
		"corpus:frames f\n",
		"corpus:category a b\ncorpus:frames f\n",
	} {
		if _, _, err := parseHeader(bad); err == nil {
			t.Errorf("parseHeader(%q): want error", bad)
		}
	}
}

func TestDiscoverCorpus(t *testing.T) {
	progs, err := discover("../../corpus")
	if err != nil {
		t.Fatal(err)
	}
	if len(progs) < 48 {
		t.Errorf("got %d corpus programs, want at least 48", len(progs))
	}
	perCat := map[string]int{}
	for _, p := range progs {
		perCat[p.Category]++
		if _, err := os.Stat(filepath.Join(p.Dir, "doc.go")); err != nil {
			t.Error(err)
		}
	}
	for _, c := range []string{"resource/double-lock", "resource/abba", "resource/rwr", "communication/channel",
		"communication/channel-context", "communication/cond", "communication/channel-cond",
		"mixed/channel-lock", "mixed/channel-waitgroup", "mixed/waitgroup-misuse"} {
		if perCat[c] < 4 {
			t.Errorf("category %s has %d programs, want at least 4", c, perCat[c])
		}
	}
}

func TestNamesFrame(t *testing.T) {
	p := Program{PkgName: "refresher", Frames: []string{"(*Cache).Get", "worker"}}
	for out, want := range map[string]bool{
		"example.com/x/refresher.(*Cache).Get(0xc000)\n":       true,
		"cache.go:12 refresher.(*Cache).Get { c.mu.Lock() }\n": true,
		"refresher.(*Cache).GetAll(...)\n":                     false,
		"refresher.(*Cache).Get.func1()\n":                     false,
		"refresher.worker(0x1)\n":                              true,
		"otherpkg.(*Cache).Get(0xc000)\n":                      false,
		"refresher.workerPool(0x1)\nrefresher.worker":          true,
	} {
		if got := namesFrame(out, p); got != want {
			t.Errorf("namesFrame(%q) = %v, want %v", out, got, want)
		}
	}
}

const snippet = `package cache

import (
	"sync"
	"time"
)

type Cache struct {
	mu   sync.Mutex
	rw   *sync.RWMutex
	wg   sync.WaitGroup
	cond *sync.Cond
	t    time.Duration
}
`

func TestRewriteDeadlock(t *testing.T) {
	out, changed, err := rewriteDeadlock("cache.go", []byte(snippet))
	if err != nil || !changed {
		t.Fatalf("changed=%v err=%v", changed, err)
	}
	s := string(out)
	for _, want := range []string{"mu   deadlock.Mutex", "rw   *deadlock.RWMutex", "wg   sync.WaitGroup", "cond *sync.Cond",
		`deadlock "github.com/sasha-s/go-deadlock"`, `"sync"`} {
		if !strings.Contains(s, want) {
			t.Errorf("rewritten source lacks %q:\n%s", want, s)
		}
	}
	if _, err := parser.ParseFile(token.NewFileSet(), "x.go", out, 0); err != nil {
		t.Errorf("rewritten source does not parse: %v", err)
	}

	// sync only used for Mutex: the import is replaced, not kept unused.
	only := "package p\n\nimport \"sync\"\n\nvar mu sync.Mutex\n"
	out, changed, err = rewriteDeadlock("p.go", []byte(only))
	if err != nil || !changed {
		t.Fatalf("changed=%v err=%v", changed, err)
	}
	if strings.Contains(string(out), `"sync"`) || !strings.Contains(string(out), "var mu deadlock.Mutex") {
		t.Errorf("unexpected rewrite:\n%s", out)
	}

	// No mutex: untouched.
	none := "package p\n\nimport \"sync\"\n\nvar wg sync.WaitGroup\n"
	if _, changed, _ := rewriteDeadlock("p.go", []byte(none)); changed {
		t.Error("file without mutexes was rewritten")
	}
}

func TestPrepareOverlays(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "cache.go"), []byte(snippet), 0o644)
	os.WriteFile(filepath.Join(dir, "cache_test.go"), []byte("package cache\n"), 0o644)
	p := Program{Dir: dir, PkgName: "cache"}
	for _, tool := range []string{"goleak", "go-deadlock"} {
		tmp := t.TempDir()
		args, err := tools[tool].Prepare(p, tmp)
		if err != nil {
			t.Fatalf("%s: %v", tool, err)
		}
		if len(args) != 2 || args[0] != "-overlay" {
			t.Fatalf("%s: args %q", tool, args)
		}
		b, err := os.ReadFile(args[1])
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), filepath.Join(dir, "")) {
			t.Errorf("%s: overlay does not map into the package dir: %s", tool, b)
		}
		if tool == "go-deadlock" && !strings.Contains(string(b), filepath.Join(dir, "cache.go")) {
			t.Errorf("go-deadlock overlay does not replace cache.go: %s", b)
		}
	}
}

func TestFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-tool", "nope"}, "unknown -tool"},
		{[]string{"-n", "0"}, "-n must be"},
		{[]string{"-timeout", "0s"}, "-timeout must be"},
		{[]string{"-p", "0"}, "-p must be"},
		{[]string{"-run", "("}, "bad -run"},
		{[]string{"extra"}, "unexpected arguments"},
		{[]string{"-bogus"}, "flag provided but not defined"},
		{[]string{"-corpus", "/nonexistent"}, "not found"},
		{[]string{"-corpus", "../../corpus", "-run", "^nomatch$"}, "no corpus package"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(tc.args, &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("run(%q) = %v, want error containing %q", tc.args, err, tc.want)
		}
	}
}

// TestEndToEnd builds one corpus package under go-deadlock and checks that
// the self-deadlock is reported with its frames and the fixed twin is clean.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a test binary")
	}
	md := filepath.Join(t.TempDir(), "out.md")
	var stdout, stderr bytes.Buffer
	err := run([]string{"-tool", "go-deadlock", "-n", "1", "-timeout", "20s", "-corpus", "../../corpus",
		"-run", "double-lock/metricsregistry$", "-md", md}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	b, _ := os.ReadFile(md)
	if !strings.Contains(string(b), "| resource/double-lock/metricsregistry | 1/1 | 1 | 0 |") {
		t.Errorf("unexpected table:\n%s\n%s", b, stderr.String())
	}
}

// gridlockSample is two runs' worth of report lines as GRIDLOCK=file=
// writes them: a deadlock whose program frames are only in the creator of a
// goroutine, and a blocked wait that names only a closure of a frame.
const gridlockSample = `{"kind":"deadlock","id":"a1","summary":"2 goroutines blocked for good","time":"2026-11-26T10:00:01.5Z","count":1,"test":"TestBug","goroutines":[{"id":7,"state":"blocked","waits_for":"mutex 0xc0","wait_stack":[{"function":"sync.(*Mutex).Lock","file":"mutex.go","line":1}],"created_by":[{"function":"github.com/gridlock-go/gridlock/benchmarks/corpus/resource/abba/refresher.(*Cache).Refresh","file":"cache.go","line":40}]}]}
{"kind":"blocked-wait","id":"b2","summary":"goroutine 9 waited 3s","time":"2026-11-26T10:00:01.2Z","count":1,"goroutines":[{"id":9,"state":"blocked","stack":[{"function":"example.com/refresher.(*Cache).Refresh.func1","file":"cache.go","line":44}]}]}
`

func TestGridlockFinding(t *testing.T) {
	reps, err := report.Read(strings.NewReader(gridlockSample))
	if err != nil || len(reps) != 2 {
		t.Fatalf("read sample: %d reports, %v", len(reps), err)
	}
	p := Program{PkgName: "refresher", Frames: []string{"(*Cache).Refresh"}}
	start := time.Date(2026, 11, 26, 10, 0, 1, 0, time.UTC)
	f := findingOf(reps, p, start)
	if !f.Reported || !f.WithFrames {
		t.Errorf("reported=%v withFrames=%v, want both", f.Reported, f.WithFrames)
	}
	if f.TTFR != 200*time.Millisecond {
		t.Errorf("TTFR = %v, want 200ms (the earliest report, not the first line)", f.TTFR)
	}
	if strings.Join(f.Kinds, ",") != "deadlock,blocked-wait" || len(f.Summaries) != 2 {
		t.Errorf("kinds %q summaries %q", f.Kinds, f.Summaries)
	}

	// The closure alone does not count as the frame.
	if f := findingOf(reps[1:], p, start); !f.Reported || f.WithFrames {
		t.Errorf("closure only: reported=%v withFrames=%v, want true, false", f.Reported, f.WithFrames)
	}
	// Frames in every kind of stack count.
	fr := report.Stack{{Function: "x/refresher.(*Cache).Refresh"}}
	for name, r := range map[string]report.Report{
		"edge to":    {Edges: []report.Edge{{ToStack: fr}}},
		"edge from":  {Edges: []report.Edge{{FromStack: fr}}},
		"wait stack": {Goroutines: []report.Goroutine{{WaitStack: fr}}},
		"holds":      {Goroutines: []report.Goroutine{{Holds: []report.Held{{Stack: fr}}}}},
		"stack":      {Goroutines: []report.Goroutine{{Stack: fr}}},
		"created by": {Goroutines: []report.Goroutine{{CreatedBy: fr}}},
		"labelled":   {Stacks: []report.Labelled{{Label: "first close", Stack: fr}}},
	} {
		if !reportNamesFrame(&r, p) {
			t.Errorf("%s: frame not found", name)
		}
	}
	if f := findingOf(nil, p, start); f.Reported || f.WithFrames || f.TTFR != 0 {
		t.Errorf("no reports: %+v", f)
	}
}

func TestInspectGridlock(t *testing.T) {
	p := Program{PkgName: "refresher", Frames: []string{"(*Cache).Refresh"}}
	dir := t.TempDir()
	// No file: the run reported nothing.
	if f, err := inspectGridlock(dir, p, time.Now()); err != nil || f.Reported {
		t.Fatalf("empty dir: %+v %v", f, err)
	}
	// One file per process (%p); both are read.
	lines := strings.SplitAfter(gridlockSample, "\n")
	os.WriteFile(filepath.Join(dir, "r-100.jsonl"), []byte(lines[0]), 0o644)
	os.WriteFile(filepath.Join(dir, "r-101.jsonl"), []byte(lines[1]), 0o644)
	os.WriteFile(filepath.Join(dir, "unrelated.txt"), []byte("x"), 0o644)
	f, err := inspectGridlock(dir, p, time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC))
	if err != nil || len(f.Kinds) != 2 || !f.WithFrames || f.TTFR != 1200*time.Millisecond {
		t.Errorf("got %+v, %v", f, err)
	}
	// A malformed file is an error, not a silent miss.
	os.WriteFile(filepath.Join(dir, "r-102.jsonl"), []byte("{\"kind\":\"nope\",\"summary\":\"x\"}\n"), 0o644)
	if _, err := inspectGridlock(dir, p, time.Now()); err == nil {
		t.Error("unknown kind: no error")
	}
}

func TestGridlockClaims(t *testing.T) {
	for line, want := range map[string]int{
		"gridlock: 4 report(s) in this test binary":                       4,
		"gridlock: 12 report(s) in this test binary":                      12,
		"gridlock: 11 report(s) in this test binary (12358 with repeats)": 11,
		"gridlock: deadlock: 2 goroutines blocked":                        0,
		"  gridlock: 4 report(s) in this test binary":                     0,
		"gridlock: 4 report(s) in this test binary ok":                    0,
	} {
		if got := gridlockClaims(line); got != want {
			t.Errorf("gridlockClaims(%q) = %d, want %d", line, got, want)
		}
	}
}

func TestGridlockSettings(t *testing.T) {
	got := gridlockSettings("/tmp/run")
	want := "on,timeout=3s,log=text,fatal=deadlock+blocked-wait,file=/tmp/run/r-%p.jsonl"
	if got != want {
		t.Errorf("GRIDLOCK=%s, want %s", got, want)
	}
}

// TestEndToEndGridlock builds the CLI and one corpus package under it: the
// AB-BA inversion is reported with its frames, the fixed twin is clean.
func TestEndToEndGridlock(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the gridlock CLI and a test binary")
	}
	md := filepath.Join(t.TempDir(), "out.md")
	var stdout, stderr bytes.Buffer
	err := run([]string{"-tool", "gridlock", "-n", "1", "-timeout", "20s", "-corpus", "../../corpus",
		"-run", "abba/transfer$", "-md", md}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	b, _ := os.ReadFile(md)
	// bug reported 1/1 with frames, not hung; no false report, no failed
	// fixed run, no lost report.
	if !regexp.MustCompile(`\| resource/abba/transfer \| 1/1 \| 1 \| 0 \| \d+ms \| 0 \| 0 \| 0/0 \|`).Match(b) {
		t.Errorf("unexpected table:\n%s\n%s", b, stderr.String())
	}
}

// TestPrepareGridlockOverlay checks that the overlay replaces the package's
// files and adds the TestMain file, all inside the package directory.
func TestPrepareGridlockOverlay(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the gridlock CLI")
	}
	progs, err := discover("../../corpus")
	if err != nil {
		t.Fatal(err)
	}
	var p Program
	for _, q := range progs {
		if q.Rel == "resource/abba/transfer" {
			p = q
		}
	}
	args, err := prepareGridlock(p, t.TempDir())
	if err != nil || len(args) != 2 || args[0] != "-overlay" {
		t.Fatalf("args %q, err %v", args, err)
	}
	b, _ := os.ReadFile(args[1])
	for _, want := range []string{filepath.Join(p.Dir, "ledger.go"), filepath.Join(p.Dir, "ledger_test.go"), filepath.Join(p.Dir, "gridlock_testmain_test.go")} {
		if !strings.Contains(string(b), want) {
			t.Errorf("overlay lacks %s: %s", want, b)
		}
	}
}
