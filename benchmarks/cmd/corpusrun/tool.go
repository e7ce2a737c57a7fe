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
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Tool is a detector under evaluation. Prepare returns extra `go test -c`
// arguments (typically -overlay) for a program, writing what it needs
// under tmp. Marker says whether an output line is a report of the tool.
type Tool struct {
	Name    string
	Prepare func(p Program, tmp string) ([]string, error)
	Marker  func(line string) bool
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
		Marker: func(l string) bool { return strings.Contains(l, "gridlock:") }},
}

func toolNames() string { return "none, goleak, go-deadlock, gridlock" }

var errGridlockUnavailable = errors.New("gridlock CLI not available yet")

// prepareGridlock is the one function to fill in once `gridlock test` can
// emit its overlay (or build the test binary) for a package.
func prepareGridlock(p Program, tmp string) ([]string, error) {
	return nil, errGridlockUnavailable
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
