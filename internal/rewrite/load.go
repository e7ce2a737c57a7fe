package rewrite

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// ListedPackage is the part of `go list -json` output the rewriter uses.
type ListedPackage struct {
	Dir             string
	ImportPath      string
	Name            string
	ForTest         string
	Export          string
	Standard        bool
	DepOnly         bool
	GoFiles         []string
	CgoFiles        []string
	TestGoFiles     []string
	XTestGoFiles    []string
	IgnoredGoFiles  []string
	ImportMap       map[string]string
	Module          *ListedModule
	Error           *ListedError
	DepsErrors      []*ListedError
	Match           []string
	Incomplete      bool
	InvalidGoFiles  []string
	CompiledGoFiles []string
}

// ListedModule is the module of a listed package.
type ListedModule struct {
	Path      string
	Version   string
	Main      bool
	Dir       string
	GoMod     string
	GoVersion string
	Replace   *ListedModule
}

// ListedError is a package loading error reported by go list.
type ListedError struct {
	ImportStack []string
	Pos         string
	Err         string
}

func (e *ListedError) String() string {
	if e.Pos != "" {
		return e.Pos + ": " + e.Err
	}
	return e.Err
}

// GoCmd describes how to run the go command: in which directory, with which
// environment and extra build flags (such as -modfile, -tags).
type GoCmd struct {
	Dir   string
	Env   []string // added to os.Environ()
	Flags []string // build flags given to go list
}

func (g GoCmd) command(args ...string) *exec.Cmd {
	cmd := exec.Command("go", args...)
	cmd.Dir = g.Dir
	cmd.Env = append(os.Environ(), g.Env...)
	return cmd
}

// GoList runs go list -e -json -deps -test (and -export when export is set)
// on patterns and returns the packages in the order go list printed them.
func GoList(g GoCmd, export bool, patterns []string) ([]*ListedPackage, error) {
	args := []string{"list", "-e", "-deps", "-test", "-json=Dir,ImportPath,Name,ForTest,Export,Standard,DepOnly,GoFiles,CgoFiles,TestGoFiles,XTestGoFiles,IgnoredGoFiles,ImportMap,Module,Error,DepsErrors,Match,Incomplete,InvalidGoFiles"}
	if export {
		args = append(args, "-export")
	}
	args = append(args, g.Flags...)
	args = append(args, "--")
	args = append(args, patterns...)
	cmd := g.command(args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, &LoadError{Msg: "go list: " + msg}
	}
	var pkgs []*ListedPackage
	dec := json.NewDecoder(&stdout)
	for {
		p := new(ListedPackage)
		if err := dec.Decode(p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list: decode output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

// LoadError is an error in the user's input: a package pattern that matches
// nothing, a package that cannot be loaded or a file that does not parse.
type LoadError struct{ Msg string }

func (e *LoadError) Error() string { return e.Msg }

// IsLoadError reports whether err is (or wraps) a *LoadError.
func IsLoadError(err error) bool {
	var le *LoadError
	return errors.As(err, &le)
}

// unit is one type-checking unit: a package, its in-package test variant or
// its external test package.
type unit struct {
	pkg   *ListedPackage // as listed (the test variant when it has one)
	plain *ListedPackage // the non-test variant (same files minus tests)
	files []string       // absolute paths
	xtest bool
	test  bool // the files include _test.go files
}

// checked is a type-checked unit.
type checked struct {
	unit
	fset    *token.FileSet
	files   []*ast.File
	srcs    [][]byte
	info    *types.Info
	types   *types.Package
	typeErr error // first type error; nil when the unit type-checked
}

func abs(dir string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		if filepath.IsAbs(n) {
			out[i] = n
		} else {
			out[i] = filepath.Join(dir, n)
		}
	}
	return out
}

// parseFiles parses the given files. A file that does not parse is a
// *LoadError naming the file and position.
func parseFiles(fset *token.FileSet, paths []string, read func(string) ([]byte, error)) ([]*ast.File, [][]byte, error) {
	files := make([]*ast.File, 0, len(paths))
	srcs := make([][]byte, 0, len(paths))
	for _, p := range paths {
		src, err := read(p)
		if err != nil {
			return nil, nil, &LoadError{Msg: fmt.Sprintf("read %s: %v", p, err)}
		}
		f, err := parser.ParseFile(fset, p, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			var list interface{ Unwrap() []error }
			msg := err.Error()
			if errors.As(err, &list) && len(list.Unwrap()) > 1 {
				msg = fmt.Sprintf("%s (and %d more errors)", list.Unwrap()[0], len(list.Unwrap())-1)
			}
			return nil, nil, &LoadError{Msg: "cannot parse " + msg}
		}
		files = append(files, f)
		srcs = append(srcs, src)
	}
	return files, srcs, nil
}

// typeCheck parses and type-checks u, importing its dependencies from the
// export data that byID (go list -export output, keyed by ImportPath)
// names.
func typeCheck(u unit, byID map[string]*ListedPackage, read func(string) ([]byte, error)) (*checked, error) {
	fset := token.NewFileSet()
	files, srcs, err := parseFiles(fset, u.files, read)
	if err != nil {
		return nil, err
	}
	lookup := func(path string) (io.ReadCloser, error) {
		id := path
		if m, ok := u.pkg.ImportMap[path]; ok {
			id = m
		}
		p := byID[id]
		if p == nil || p.Export == "" {
			return nil, fmt.Errorf("no export data for %s", id)
		}
		return os.Open(p.Export)
	}
	c := &checked{unit: u, fset: fset, files: files, srcs: srcs}
	c.info = &types.Info{
		Types:        map[ast.Expr]types.TypeAndValue{},
		Defs:         map[*ast.Ident]types.Object{},
		Uses:         map[*ast.Ident]types.Object{},
		Implicits:    map[ast.Node]types.Object{},
		Selections:   map[*ast.SelectorExpr]*types.Selection{},
		Scopes:       map[ast.Node]*types.Scope{},
		FileVersions: map[*ast.File]string{},
	}
	conf := types.Config{
		Importer:    importer.ForCompiler(fset, "gc", lookup).(types.ImporterFrom),
		FakeImportC: len(u.pkg.CgoFiles) > 0,
		Error: func(err error) {
			if c.typeErr == nil {
				c.typeErr = err
			}
		},
	}
	if m := u.pkg.Module; m != nil && m.GoVersion != "" {
		conf.GoVersion = "go" + m.GoVersion
	}
	path := u.pkg.ImportPath
	if i := strings.IndexByte(path, ' '); i >= 0 {
		path = path[:i]
	}
	c.types, _ = conf.Check(path, fset, files, c.info)
	return c, nil
}

// units returns the type-checking units for the packages to instrument:
// for a package whose tests are built, its test variant (package files plus
// in-package test files) and its external test package; for other packages,
// the package itself.
func units(pkgs []*ListedPackage, instrument func(*ListedPackage) bool, withTests func(*ListedPackage) bool) []unit {
	plain := map[string]*ListedPackage{}
	testVariant := map[string]*ListedPackage{}
	xtest := map[string]*ListedPackage{}
	for _, p := range pkgs {
		switch {
		case p.ForTest == "" && !strings.HasSuffix(p.ImportPath, ".test"):
			plain[p.ImportPath] = p
		case p.ForTest != "" && p.ImportPath == p.ForTest+" ["+p.ForTest+".test]":
			testVariant[p.ForTest] = p
		case p.ForTest != "" && p.ImportPath == p.ForTest+"_test ["+p.ForTest+".test]":
			xtest[p.ForTest] = p
		}
	}
	var out []unit
	for _, p := range pkgs {
		if p.ForTest != "" || strings.HasSuffix(p.ImportPath, ".test") || !instrument(p) {
			continue
		}
		files := append(slices.Clone(p.GoFiles), p.CgoFiles...)
		if withTests(p) {
			if tv := testVariant[p.ImportPath]; tv != nil {
				out = append(out, unit{pkg: tv, plain: p, files: abs(tv.Dir, append(slices.Clone(tv.GoFiles), tv.CgoFiles...)), test: len(p.TestGoFiles) > 0})
			} else if len(files) > 0 {
				out = append(out, unit{pkg: p, plain: p, files: abs(p.Dir, files)})
			}
			if xt := xtest[p.ImportPath]; xt != nil {
				out = append(out, unit{pkg: xt, plain: p, files: abs(xt.Dir, xt.GoFiles), xtest: true, test: true})
			}
			continue
		}
		if len(files) > 0 {
			out = append(out, unit{pkg: p, plain: p, files: abs(p.Dir, files)})
		}
	}
	return out
}
