package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// exitOf returns the exit status run's error calls for.
func exitOf(err error) int {
	var buf bytes.Buffer
	return exitCode(err, &buf)
}

// runIn runs the CLI in dir and returns its exit status, stdout and stderr
// (with the error message main would print).
func runIn(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	if dir != "" {
		t.Chdir(dir)
	}
	var stdout, stderr bytes.Buffer
	err := run(args, &stdout, &stderr)
	code := exitCode(err, &stderr)
	return code, stdout.String(), stderr.String()
}

// writeModule writes files (path → content) under a new temporary
// directory and returns it.
func writeModule(t testing.TB, dir string, files map[string]string) string {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var (
	badModOnce sync.Once
	badModDir  string
)

// badModule is a module with a package whose file does not parse.
func badModule(t *testing.T) string {
	badModOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gridlock-bad-")
		if err != nil {
			t.Fatal(err)
		}
		cleanups = append(cleanups, dir)
		badModDir = writeModule(t, dir, map[string]string{
			"go.mod":         "module example.com/bad\n\ngo 1.24\n",
			"broken/b.go":    "package broken\n\nfunc F( {\n",
			"good/g.go":      "package good\n\nfunc G() {}\n",
			"reports/r.json": "{not json\n",
		})
	})
	return badModDir
}

var cleanups []string

func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range cleanups {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

func TestRunUsageErrors(t *testing.T) {
	bad := badModule(t)
	tests := []struct {
		name string
		give []string
		want string // in stderr
	}{
		{"no command", nil, "no command given: accepted commands are"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"test bad flag", []string{"test", "-nope"}, "flag provided but not defined: -nope"},
		{"test bad instrument", []string{"test", "-instrument=some"}, `invalid -instrument value "some": accepted values are named, module, all-non-std`},
		{"test bad fatal", []string{"test", "-fatal=deadlock+oops"}, `-fatal: unknown report kind "oops": accepted kinds are`},
		{"test bad wait timeout", []string{"test", "-wait-timeout=-1s"}, "-wait-timeout must be positive"},
		{"test bad duration", []string{"test", "-wait-timeout=soon"}, `invalid value "soon" for flag -wait-timeout`},
		{"test bad go timeout", []string{"test", "--", "-timeout=never"}, `invalid -timeout "never"`},
		{"test missing package", []string{"test", "./nosuchdir"}, "nosuchdir"},
		{"test unparsable file", []string{"test", "./broken"}, "b.go:3:"},
		{"test bad gridlock module", []string{"test", "-gridlock-module", "/", "./good"}, "-gridlock-module / is not the gridlock module"},
		{"rewrite -w and -o", []string{"rewrite", "-w", "-o", "x"}, "-w and -o are exclusive"},
		{"rewrite missing package", []string{"rewrite", "./nosuchdir"}, "nosuchdir"},
		{"rewrite unparsable file", []string{"rewrite", "./broken"}, "cannot parse"},
		{"rewrite bad instrument", []string{"rewrite", "-instrument=x"}, `invalid -instrument value "x"`},
		{"report no subcommand", []string{"report"}, "no report command given: accepted are show, merge, dot"},
		{"report unknown", []string{"report", "list"}, `unknown report command "list"`},
		{"report show no files", []string{"report", "show"}, "report show: no report files given"},
		{"report show missing file", []string{"report", "show", "nofile.jsonl"}, "nofile.jsonl"},
		{"report show bad file", []string{"report", "show", "reports/r.json"}, "reports/r.json: parse json: line 1"},
		{"report merge no -o", []string{"report", "merge", "a.pb.gz"}, "report merge: -o OUT is required"},
		{"report merge bad profile", []string{"report", "merge", "-o", filepath.Join(t.TempDir(), "out.pb.gz"), "reports/r.json"}, "reports/r.json"},
		{"report dot no file", []string{"report", "dot"}, "report dot: no report files given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runIn(t, bad, tt.give...)
			if code != 2 {
				t.Errorf("run(%q) exit = %d, want 2; stderr:\n%s", tt.give, code, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("run(%q) stderr = %q, want it to contain %q", tt.give, stderr, tt.want)
			}
			if strings.Contains(stderr, "panic:") || strings.Contains(stderr, "goroutine 1 [") {
				t.Errorf("run(%q) panicked:\n%s", tt.give, stderr)
			}
		})
	}
}

func TestRunHelp(t *testing.T) {
	tests := []struct {
		give []string
		want string
	}{
		{[]string{"help"}, "gridlock test [flags] [packages]"},
		{[]string{"test", "-h"}, "-wait-timeout"},
		{[]string{"rewrite", "-h"}, "-instrument"},
		{[]string{"help", "report"}, "show"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runIn(t, "", tt.give...)
		if code != 0 {
			t.Errorf("run(%q) exit = %d, want 0; stderr:\n%s", tt.give, code, stderr)
		}
		if !strings.Contains(stdout+stderr, tt.want) {
			t.Errorf("run(%q) output = %q, want it to contain %q", tt.give, stdout+stderr, tt.want)
		}
	}
}

func TestParseTestArgs(t *testing.T) {
	tests := []struct {
		give         []string
		wantPkgs     string
		wantGoArgs   string
		wantWaitTime string
	}{
		{nil, "", "", "10s"},
		{[]string{"./...", "-race", "--", "-run", "X", "-v"}, "./...", "-race=true -run X -v", "10s"},
		{[]string{"-run=Foo", "-count", "1", "a", "b"}, "a b", "-run=Foo -count=1", "10s"},
		{[]string{"-wait-timeout=30s", "--", "-timeout=1m"}, "", "-timeout=1m", "15s"},
		{[]string{"-timeout", "20s", "./x"}, "./x", "-timeout=20s", "5s"},
		{[]string{"-wait-timeout=2s", "-timeout=0"}, "", "-timeout=0", "2s"},
		{[]string{"p", "-v", "q"}, "p q", "-v=true", "10s"},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		cfg, err := parseTestArgs(tt.give, &stderr)
		if err != nil {
			t.Errorf("parseTestArgs(%q) error %v", tt.give, err)
			continue
		}
		if got := strings.Join(cfg.packages, " "); got != tt.wantPkgs {
			t.Errorf("parseTestArgs(%q) packages = %q, want %q", tt.give, got, tt.wantPkgs)
		}
		if got := strings.Join(cfg.goTestArgs, " "); got != tt.wantGoArgs {
			t.Errorf("parseTestArgs(%q) go test args = %q, want %q", tt.give, got, tt.wantGoArgs)
		}
		if got := cfg.waitTimeout.String(); got != tt.wantWaitTime {
			t.Errorf("parseTestArgs(%q) wait timeout = %s, want %s", tt.give, got, tt.wantWaitTime)
		}
	}
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		give error
		want int
	}{
		{nil, 0},
		{errors.New("x"), 1},
		{usageError("x"), 2},
		{&exitError{code: 3}, 3},
	}
	for _, tt := range tests {
		if got := exitOf(tt.give); got != tt.want {
			t.Errorf("exitCode(%v) = %d, want %d", tt.give, got, tt.want)
		}
	}
}

// goEnv returns a go env value.
func goEnv(t testing.TB, name string) string {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}
