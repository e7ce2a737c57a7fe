package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/pprof/profile"

	"github.com/gridlock-go/gridlock/internal/report"
	"github.com/gridlock-go/gridlock/internal/rewrite"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update to accept):\n%s", path, got)
	}
}

func TestReportCommands(t *testing.T) {
	tests := []struct {
		name string
		give []string
	}{
		{"show", []string{"report", "show", "testdata/cycle.jsonl", "testdata/cycle2.jsonl"}},
		{"show_json", []string{"report", "show", "-json", "testdata/cycle.jsonl"}},
		{"dot", []string{"report", "dot", "testdata/cycle.jsonl", "testdata/cycle2.jsonl"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if err := run(tt.give, &stdout, &stderr); err != nil {
				t.Fatalf("run(%q) = %v, want nil; stderr:\n%s", tt.give, err, stderr.String())
			}
			golden(t, "report_"+tt.name, stdout.String())
		})
	}
}

// TestReportShowDedup checks that one cause reported in two files is
// printed once with the counts summed.
func TestReportShowDedup(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run([]string{"report", "show", "testdata/cycle.jsonl", "testdata/cycle2.jsonl"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	out := stdout.String()
	if got := strings.Count(out, "gridlock: lock-order-cycle"); got != 1 {
		t.Errorf("report show printed the cycle %d times, want 1:\n%s", got, out)
	}
	if !strings.Contains(out, "(seen 4 times)") {
		t.Errorf("report show lacks the summed count (seen 4 times):\n%s", out)
	}
}

func TestReportMerge(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for i := range 2 {
		p := &profile.Profile{
			SampleType: []*profile.ValueType{{Type: "reports", Unit: "count"}},
			Function:   []*profile.Function{{ID: 1, Name: "example.com/m.f"}},
		}
		p.Location = []*profile.Location{{ID: 1, Line: []profile.Line{{Function: p.Function[0], Line: 10}}}}
		p.Sample = []*profile.Sample{{Location: p.Location, Value: []int64{int64(i + 1)}}}
		f := filepath.Join(dir, "p"+string(rune('0'+i))+".pb.gz")
		var buf bytes.Buffer
		if err := p.Write(&buf); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(f, buf.Bytes(), 0o644)
		files = append(files, f)
	}
	out := filepath.Join(dir, "merged.pb.gz")
	var stdout, stderr bytes.Buffer
	if err := run(append([]string{"report", "merge", "-o", out}, files...), &stdout, &stderr); err != nil {
		t.Fatalf("report merge: %v\n%s", err, stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	p, err := profile.ParseData(data)
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, s := range p.Sample {
		total += s.Value[0]
	}
	if total != 3 {
		t.Errorf("merged profile total = %d, want 3", total)
	}
}

// TestSummaryCountsEachBinary: one cause made by two packages' test binaries
// is printed once and counted for each package.
func TestSummaryCountsEachBinary(t *testing.T) {
	cause := report.Report{Kind: report.LockOrderCycle, ID: "abc", Summary: "a cycle in a shared helper"}
	var set reportSet
	for _, p := range []string{"example.com/m/a", "example.com/m/b", "example.com/m/b"} {
		r := cause
		r.Package = p
		set.add(r)
	}
	st := &statusScanner{pkgs: map[string]string{"example.com/m/a": "ok", "example.com/m/b": "ok"}, order: []string{"example.com/m/a", "example.com/m/b"}}
	var out strings.Builder
	printSummary(&out, &set, st, &rewrite.Plan{}, false)
	for _, want := range []string{"FAIL example.com/m/a  1 reports", "FAIL example.com/m/b  2 reports", "3 reports (1 distinct)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("printSummary() = %q, want it to contain %q", out.String(), want)
		}
	}
}
