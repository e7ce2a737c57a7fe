package main

import (
	"bytes"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	if _, err := tools["gridlock"].Prepare(p, t.TempDir()); err == nil || !strings.Contains(err.Error(), "not available") {
		t.Errorf("gridlock: err = %v", err)
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
		{[]string{"-tool", "gridlock", "-corpus", "../../corpus"}, "gridlock CLI not available yet"},
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
