package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/google/pprof/profile"

	"github.com/gridlock-go/gridlock/internal/report"
	"github.com/gridlock-go/gridlock/internal/rewrite"
)

// reportSet is the deduplicated reports of a run.
type reportSet struct {
	list  []*report.Report // first occurrence order
	byKey map[string]*report.Report
	// byPkg counts each cause per test binary's package: one cause made
	// by two packages' binaries is printed once and counted for both.
	byPkg map[string]map[string]int
	files int
}

func (s *reportSet) add(r report.Report) {
	if s.byKey == nil {
		s.byKey = map[string]*report.Report{}
		s.byPkg = map[string]map[string]int{}
	}
	k := r.Key()
	if s.byPkg[k] == nil {
		s.byPkg[k] = map[string]int{}
	}
	s.byPkg[k][r.Package] += max(r.Count, 1)
	if have := s.byKey[k]; have != nil {
		have.Count += max(r.Count, 1)
		return
	}
	rc := r
	if rc.Count < 1 {
		rc.Count = 1
	}
	s.byKey[k] = &rc
	s.list = append(s.list, &rc)
}

// collectReports reads every reports-*.jsonl file the test binaries wrote
// in dir and merges them: a cause reported by several binaries (or several
// times) is printed once, with the counts summed.
func collectReports(dir string) (*reportSet, error) {
	files, err := filepath.Glob(filepath.Join(dir, "reports-*.jsonl"))
	if err != nil {
		return nil, err
	}
	slices.Sort(files)
	set := &reportSet{}
	for _, f := range files {
		reps, err := report.ReadFile(f)
		if err != nil && len(reps) == 0 {
			return nil, fmt.Errorf("read reports %s: %v", f, err)
		}
		set.files++
		for _, r := range reps {
			set.add(r)
		}
	}
	return set, nil
}

func printReports(w io.Writer, set *reportSet) {
	for _, r := range set.list {
		fmt.Fprintln(w)
		report.WriteText(w, r)
	}
}

// reportPackage guesses the package a report belongs to when it does not
// name its test binary's: the longest instrumented package path that
// prefixes a function in its stacks.
func reportPackage(r *report.Report, pkgs []string) string {
	best := ""
	try := func(s report.Stack) {
		for _, f := range s {
			fn := strings.ReplaceAll(f.Function, "%2e", ".") // the runtime escapes a last element's dots
			for _, p := range pkgs {
				if len(p) > len(best) && (strings.HasPrefix(fn, p+".") || strings.HasPrefix(fn, p+"_test.")) {
					best = p
				}
			}
		}
	}
	for _, g := range r.Goroutines {
		try(g.WaitStack)
		try(g.Stack)
		for _, h := range g.Holds {
			try(h.Stack)
		}
	}
	for _, e := range r.Edges {
		try(e.FromStack)
		try(e.ToStack)
	}
	for _, l := range r.Stacks {
		try(l.Stack)
	}
	return best
}

func printSummary(w io.Writer, set *reportSet, st *statusScanner, plan *rewrite.Plan, failed bool) {
	var named []string
	for _, p := range plan.Named {
		named = append(named, p.ImportPath)
	}
	pkgs := slices.Clone(st.order)
	for _, p := range named {
		if !slices.Contains(pkgs, p) {
			pkgs = append(pkgs, p)
		}
	}
	perPkg := map[string]int{}
	for _, r := range set.list {
		// The test binaries that made it, else a guess from the stacks.
		for p, n := range set.byPkg[r.Key()] {
			if !slices.Contains(pkgs, p) {
				p = reportPackage(r, named)
			}
			perPkg[p] += n
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "gridlock summary:")
	width := 0
	for _, p := range pkgs {
		width = max(width, len(p))
	}
	for _, p := range pkgs {
		state := st.pkgs[p]
		switch {
		case perPkg[p] > 0:
			state = "FAIL"
		case state == "":
			state = "?"
		}
		fmt.Fprintf(w, "%-4s %-*s  %d reports\n", state, width, p, perPkg[p])
	}
	if n := perPkg[""]; n > 0 {
		fmt.Fprintf(w, "     %-*s  %d reports\n", width, "(other)", n)
	}
	total := 0
	for _, r := range set.list {
		total += r.Count
	}
	result := "tests passed"
	if failed {
		result = "tests failed"
	}
	fmt.Fprintf(w, "gridlock: %d reports (%d distinct) in %d packages; %s\n", total, len(set.list), len(pkgs), result)
}

// mergeProfiles merges pprof profile files into out.
func mergeProfiles(out string, files []string) error {
	var profs []*profile.Profile
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		p, err := profile.Parse(bytes.NewReader(data))
		if err != nil {
			return fmt.Errorf("parse %s: %v", f, err)
		}
		profs = append(profs, p)
	}
	if len(profs) == 0 {
		return fmt.Errorf("no profiles to merge: the run made no report profile")
	}
	merged, err := profile.Merge(profs)
	if err != nil {
		return fmt.Errorf("merge: %v", err)
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := merged.Write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func validKind(k string) bool { return report.ValidKind(k) }

func kindNames() []string {
	var out []string
	for _, k := range report.Kinds {
		out = append(out, string(k))
	}
	return out
}

// version identifies this build of gridlock: the module version when it
// was installed from a release, else a hash of the executable (so that a
// rebuilt gridlock never reuses overlays of an older rewriter).
func version() string {
	v := "devel"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	exe, err := os.Executable()
	if err != nil {
		return v
	}
	data, err := os.ReadFile(exe)
	if err != nil {
		return v
	}
	sum := sha256.Sum256(data)
	return v + "-" + hex.EncodeToString(sum[:6])
}
