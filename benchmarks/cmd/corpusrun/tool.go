package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gridlock-go/gridlock/internal/report"
)

// Tool is a detector under evaluation. Prepare returns extra `go test -c`
// arguments (typically -overlay) for a program, writing what it needs
// under tmp. Marker says whether an output line is a report of the tool.
//
// Env, when set, gives extra environment variables for one run whose
// private scratch directory is runDir. Inspect, when set, replaces Marker:
// after the run it decides from runDir (report files) whether the run
// reported, whether a report names one of the program's frames, and when
// the first report came.
type Tool struct {
	Name    string
	Prepare func(p Program, tmp string) ([]string, error)
	Marker  func(line string) bool
	Env     func(runDir string) []string
	Inspect func(runDir string, p Program, start time.Time) (Finding, error)
	// Claims, when set, returns how many reports an output line says the
	// process made (0 if the line says nothing of the kind). A run whose
	// output claims reports that Inspect did not find lost them.
	Claims func(line string) int
}

// Finding is what Inspect found in the files of one run.
type Finding struct {
	Reported   bool
	WithFrames bool
	TTFR       time.Duration // process start to the first report
	Kinds      []string      // report kinds, in file order
	Summaries  []string      // "kind: summary" of every report
}

var tools = map[string]Tool{
	"none": {Name: "none",
		Prepare: func(Program, string) ([]string, error) { return nil, nil },
		Marker:  func(string) bool { return false }},
	"goleak": {Name: "goleak", Prepare: prepareGoleak,
		Marker: func(l string) bool { return strings.Contains(l, "found unexpected goroutines") }},
	"go-deadlock": {Name: "go-deadlock", Prepare: prepareGoDeadlock,
		Marker: func(l string) bool { return strings.Contains(l, "POTENTIAL DEADLOCK") }},
	"gridlock": {Name: "gridlock", Prepare: prepareGridlock,
		Marker:  func(l string) bool { return strings.HasPrefix(l, "gridlock: ") },
		Env:     gridlockEnv,
		Inspect: inspectGridlock,
		Claims:  gridlockClaims},
}

func toolNames() string { return "none, goleak, go-deadlock, gridlock" }

// gridlockWaitTimeout is the blocked-wait threshold of the gridlock runs.
// The default of `gridlock test` is 10s, lowered to a quarter of go test's
// -timeout; with corpusrun's 20s bound per run that would be 5s. 3s leaves
// the watchdog time to report (and the fatal exit to happen) well inside
// the bound, while staying far above any legitimate wait in the corpus.
var gridlockWaitTimeout = 3 * time.Second

// gridlockFatal is gridlock test's default -fatal.
const gridlockFatal = "deadlock+blocked-wait"

// gridlockSettings is the GRIDLOCK value of one run: what `gridlock test`
// sets (on, timeout, file, fatal), with log=text instead of log=off so that
// the reports are also in the run's output.
func gridlockSettings(runDir string) string {
	return strings.Join([]string{"on", "timeout=" + gridlockWaitTimeout.String(), "log=text",
		"fatal=" + gridlockFatal, "file=" + filepath.Join(runDir, "r-%p.jsonl")}, ",")
}

func gridlockEnv(runDir string) []string {
	return []string{"GRIDLOCK=" + gridlockSettings(runDir)}
}

// gridlockClaimLine is what detect.RunTests (behind the TestMain that
// gridlock test adds) prints when the binary made reports.
var gridlockClaimLine = regexp.MustCompile(`^gridlock: (\d+) report\(s\) in this test binary( \(\d+ with repeats\))?$`)

func gridlockClaims(line string) int {
	m := gridlockClaimLine.FindStringSubmatch(line)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// gridlockCLI is the gridlock command, built once from the root module
// (the parent of the benchmarks module).
var gridlockCLI struct {
	once sync.Once
	path string
	err  error
}

// gridlockBinary builds cmd/gridlock into a temporary directory the first
// time it is called. The binary records its source directory, so it builds
// the tests against this checkout of gridlock.
func gridlockBinary() (string, error) {
	gridlockCLI.once.Do(func() {
		root, err := gridlockRoot()
		if err != nil {
			gridlockCLI.err = err
			return
		}
		dir, err := os.MkdirTemp("", "corpusrun-gridlock-")
		if err != nil {
			gridlockCLI.err = err
			return
		}
		bin := filepath.Join(dir, "gridlock")
		cmd := exec.Command("go", "build", "-o", bin, "./cmd/gridlock")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			gridlockCLI.err = fmt.Errorf("build gridlock CLI in %s: %v\n%s", root, err, out)
			return
		}
		gridlockCLI.path = bin
	})
	return gridlockCLI.path, gridlockCLI.err
}

// gridlockRoot finds the gridlock module: the go.mod above the current
// directory's module (benchmarks/), or $GRIDLOCK_MODULE.
func gridlockRoot() (string, error) {
	if d := os.Getenv("GRIDLOCK_MODULE"); d != "" {
		return d, nil
	}
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %v", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("not in a module: run corpusrun from benchmarks/")
	}
	root := filepath.Dir(filepath.Dir(gomod))
	b, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil || !strings.Contains(string(b), "module github.com/gridlock-go/gridlock\n") {
		return "", fmt.Errorf("%s is not the gridlock module (set GRIDLOCK_MODULE)", root)
	}
	return root, nil
}

// prepareGridlock instruments the program as `gridlock test` does: `gridlock
// rewrite -raw -testmain -instrument module` writes exactly the files that
// gridlock test puts in its go test -overlay (sync switched to detect,
// channel operations to chanwatch, a TestMain calling
// detect.VerifyTestMain, line directives), and the overlay maps them back
// onto the package directory.
func prepareGridlock(p Program, tmp string) ([]string, error) {
	bin, err := gridlockBinary()
	if err != nil {
		return nil, err
	}
	src := filepath.Join(tmp, "gridlock-src")
	cmd := exec.Command(bin, "rewrite", "-raw", "-testmain", "-instrument", "module", "-o", src, ".")
	cmd.Dir = p.Dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("gridlock rewrite: %v\n%s", err, out)
	}
	replace := map[string]string{}
	err = filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		// rewrite -o writes a file at its path relative to the working
		// directory, or at its absolute path under DIR when outside it.
		orig := filepath.Join(p.Dir, rel)
		if _, err := os.Stat(filepath.Dir(orig)); err != nil {
			orig = string(filepath.Separator) + rel
			if _, err := os.Stat(filepath.Dir(orig)); err != nil {
				return fmt.Errorf("gridlock rewrite wrote %s: cannot tell which file it replaces", rel)
			}
		}
		replace[orig] = path
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(replace) == 0 {
		return nil, fmt.Errorf("gridlock rewrite wrote no file for %s", p.Dir)
	}
	return writeOverlay(tmp, replace)
}

// inspectGridlock reads the report files of one run (GRIDLOCK file=, one
// per process).
func inspectGridlock(runDir string, p Program, start time.Time) (Finding, error) {
	var f Finding
	files, err := filepath.Glob(filepath.Join(runDir, "r-*.jsonl"))
	if err != nil {
		return f, err
	}
	var reps []report.Report
	for _, file := range files {
		rs, err := report.ReadFile(file)
		reps = append(reps, rs...)
		if err != nil {
			return f, fmt.Errorf("%s: %v", file, err)
		}
	}
	return findingOf(reps, p, start), nil
}

// findingOf summarizes the reports of one run.
func findingOf(reps []report.Report, p Program, start time.Time) Finding {
	var f Finding
	var first time.Time
	for i := range reps {
		r := &reps[i]
		f.Reported = true
		f.Kinds = append(f.Kinds, string(r.Kind))
		f.Summaries = append(f.Summaries, string(r.Kind)+": "+r.Summary)
		if reportNamesFrame(r, p) {
			f.WithFrames = true
		}
		if !r.Time.IsZero() && (first.IsZero() || r.Time.Before(first)) {
			first = r.Time
		}
	}
	if !first.IsZero() {
		f.TTFR = max(first.Sub(start), 0)
	}
	return f
}

// reportNamesFrame reports whether a frame of the report is one of the
// program's corpus:frames functions, with the rule namesFrame applies to
// the peers' text output (pkgname.Frame, not a closure inside it).
func reportNamesFrame(r *report.Report, p Program) bool {
	for _, s := range r.AllStacks() {
		for _, fr := range s {
			if namesFrame(fr.Function, p) {
				return true
			}
		}
	}
	return false
}

// writeOverlay writes an overlay JSON file mapping package paths to
// replacement files and returns the -overlay argument.
func writeOverlay(tmp string, replace map[string]string) ([]string, error) {
	b, err := json.Marshal(struct{ Replace map[string]string }{replace})
	if err != nil {
		return nil, err
	}
	path := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return nil, err
	}
	return []string{"-overlay", path}, nil
}

// testPackageName returns the package clause of the package's _test.go
// files (the corpus uses internal tests).
func testPackageName(dir string) (string, error) {
	ms, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if len(ms) == 0 {
		return "", fmt.Errorf("%s: no _test.go file", dir)
	}
	f, err := parser.ParseFile(token.NewFileSet(), ms[0], nil, parser.PackageClauseOnly)
	if err != nil {
		return "", err
	}
	return f.Name.Name, nil
}

// goleakMain is the TestMain that goleak's documentation recommends.
func goleakMain(pkg string) string {
	return "package " + pkg + `

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
`
}

func prepareGoleak(p Program, tmp string) ([]string, error) {
	pkg, err := testPackageName(p.Dir)
	if err != nil {
		return nil, err
	}
	src := filepath.Join(tmp, "zz_goleak_main_test.go")
	if err := os.WriteFile(src, []byte(goleakMain(pkg)), 0o644); err != nil {
		return nil, err
	}
	return writeOverlay(tmp, map[string]string{filepath.Join(p.Dir, "zz_corpusrun_goleak_test.go"): src})
}

const deadlockPath = "github.com/sasha-s/go-deadlock"

// rewriteDeadlock replaces sync.Mutex and sync.RWMutex with deadlock.Mutex
// and deadlock.RWMutex in one Go file, as go-deadlock's README says, and
// fixes up the imports. It reports whether the file changed.
func rewriteDeadlock(filename string, src []byte) ([]byte, bool, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, parser.ParseComments)
	if err != nil {
		return nil, false, err
	}
	syncName := ""
	for _, im := range f.Imports {
		if path, _ := strconv.Unquote(im.Path.Value); path == "sync" {
			syncName = "sync"
			if im.Name != nil {
				syncName = im.Name.Name
			}
		}
	}
	if syncName == "" || syncName == "_" || syncName == "." {
		return src, false, nil
	}
	changed, syncLeft := false, false
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok || id.Name != syncName || id.Obj != nil {
			return true
		}
		if sel.Sel.Name == "Mutex" || sel.Sel.Name == "RWMutex" {
			id.Name = "deadlock"
			changed = true
		} else {
			syncLeft = true
		}
		return true
	})
	if !changed {
		return src, false, nil
	}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		for i, spec := range gd.Specs {
			is := spec.(*ast.ImportSpec)
			if path, _ := strconv.Unquote(is.Path.Value); path != "sync" {
				continue
			}
			dl := &ast.ImportSpec{Name: ast.NewIdent("deadlock"), Path: &ast.BasicLit{Kind: token.STRING, Value: strconv.Quote(deadlockPath), ValuePos: is.Pos()}}
			if syncLeft {
				gd.Specs = append(gd.Specs[:i+1], append([]ast.Spec{dl}, gd.Specs[i+1:]...)...)
			} else {
				gd.Specs[i] = dl
			}
			if gd.Lparen == token.NoPos && len(gd.Specs) > 1 {
				gd.Lparen, gd.Rparen = gd.Pos(), gd.End()
			}
			break
		}
		break
	}
	var buf bytes.Buffer
	if err := format.Node(&buf, fset, f); err != nil {
		return nil, false, err
	}
	return buf.Bytes(), true, nil
}

// deadlockOpts sets the options explicitly to go-deadlock's defaults.
func deadlockOpts(pkg string) string {
	return "package " + pkg + `

import (
	"time"

	deadlock "` + deadlockPath + `"
)

func init() {
	deadlock.Opts.DeadlockTimeout = 30 * time.Second // the library default
}
`
}

func prepareGoDeadlock(p Program, tmp string) ([]string, error) {
	ms, err := filepath.Glob(filepath.Join(p.Dir, "*.go"))
	if err != nil {
		return nil, err
	}
	replace := map[string]string{}
	for _, m := range ms {
		src, err := os.ReadFile(m)
		if err != nil {
			return nil, err
		}
		out, changed, err := rewriteDeadlock(m, src)
		if err != nil {
			return nil, err
		}
		if !changed {
			continue
		}
		dst := filepath.Join(tmp, filepath.Base(m))
		if err := os.WriteFile(dst, out, 0o644); err != nil {
			return nil, err
		}
		replace[m] = dst
	}
	pkg, err := testPackageName(p.Dir)
	if err != nil {
		return nil, err
	}
	opts := filepath.Join(tmp, "zz_deadlock_opts_test.go")
	if err := os.WriteFile(opts, []byte(deadlockOpts(pkg)), 0o644); err != nil {
		return nil, err
	}
	replace[filepath.Join(p.Dir, "zz_corpusrun_deadlock_opts_test.go")] = opts
	return writeOverlay(tmp, replace)
}
