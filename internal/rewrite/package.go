package rewrite

import (
	"fmt"
	"go/ast"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Scope says which packages get instrumented.
type Scope int

const (
	// ScopeModule instruments the named packages and the packages of the
	// main module they import (the default).
	ScopeModule Scope = iota
	// ScopeNamed instruments only the named packages.
	ScopeNamed
	// ScopeAll instruments every package outside the standard library
	// (except gridlock's own runtime packages).
	ScopeAll
)

// ParseScope parses the -instrument flag value.
func ParseScope(s string) (Scope, error) {
	switch s {
	case "module", "":
		return ScopeModule, nil
	case "named":
		return ScopeNamed, nil
	case "all-non-std", "all":
		return ScopeAll, nil
	}
	return 0, fmt.Errorf("invalid -instrument value %q: accepted values are named, module, all-non-std", s)
}

func (s Scope) String() string {
	switch s {
	case ScopeNamed:
		return "named"
	case ScopeAll:
		return "all-non-std"
	}
	return "module"
}

// Options configure a rewrite.
type Options struct {
	Mode     Mode
	Go       GoCmd
	Patterns []string
	Scope    Scope
	// ReadFile reads a source file; nil means os.ReadFile.
	ReadFile func(string) ([]byte, error)
}

// Plan is the result of listing the packages: what will be rewritten.
type Plan struct {
	opts     Options
	pkgs     []*ListedPackage
	Targets  []*ListedPackage // packages to instrument, in go list order
	Named    []*ListedPackage // the packages the patterns matched
	Inputs   []string         // every file the rewrite reads, sorted
	Modules  []string         // path@version of every non-main module in the build
	MainDirs []string         // directories of the main modules
	Notes    []string         // what could not be instrumented

	modCache    string
	runtimeDeps map[string]bool
	skippedMods map[string]bool
}

// runtimePkg reports whether path is one of gridlock's own packages, which
// the instrumented code calls into and which must not be instrumented.
func runtimePkg(path string) bool {
	const mod = "github.com/gridlock-go/gridlock"
	if path == mod {
		return true
	}
	for _, p := range []string{"/detect", "/chanwatch", "/internal", "/lockgraph"} {
		if path == mod+p || strings.HasPrefix(path, mod+p+"/") {
			return true
		}
	}
	return false
}

// Load lists the packages that opts.Patterns name and decides which to
// instrument. Patterns matching nothing and packages that fail to load are
// *LoadError.
func Load(opts Options) (*Plan, error) {
	if opts.ReadFile == nil {
		opts.ReadFile = os.ReadFile
	}
	patterns := opts.Patterns
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	pkgs, err := GoList(opts.Go, false, patterns)
	if err != nil {
		return nil, err
	}
	pl := &Plan{opts: opts, pkgs: pkgs}
	pl.opts.Patterns = patterns
	var errs []string
	seenMod := map[string]bool{}
	if opts.Scope == ScopeAll {
		// go build refuses overlays of files in the module cache.
		out, err := opts.Go.command("env", "GOMODCACHE").Output()
		if err == nil {
			pl.modCache = strings.TrimSpace(string(out))
		}
	}
	// Nor may the packages gridlock's runtime imports be instrumented (in
	// any scope: the module under test may be one of them, zap's): that
	// would make an import cycle.
	args := append([]string{"list", "-e", "-deps", "-f", "{{.ImportPath}}"}, opts.Go.Flags...)
	args = append(args, DetectPath, ChanwatchPath)
	out, err := opts.Go.command(args...).Output()
	if err != nil {
		return nil, fmt.Errorf("go list gridlock's dependencies: %v", err)
	}
	pl.runtimeDeps = map[string]bool{}
	for _, l := range strings.Fields(string(out)) {
		pl.runtimeDeps[l] = true
	}
	for _, p := range pkgs {
		if p.ForTest != "" || strings.HasSuffix(p.ImportPath, ".test") {
			continue
		}
		if !p.DepOnly {
			if p.Error != nil {
				errs = append(errs, fmt.Sprintf("package %s: %s", p.ImportPath, p.Error))
				continue
			}
			if p.Standard {
				errs = append(errs, fmt.Sprintf("package %s is in the standard library: gridlock instruments the packages of modules", p.ImportPath))
				continue
			}
			pl.Named = append(pl.Named, p)
		}
		if m := p.Module; m != nil && !m.Main && !seenMod[m.Path] {
			seenMod[m.Path] = true
			v := m.Version
			if m.Replace != nil {
				v += "=>" + m.Replace.Path + "@" + m.Replace.Version + m.Replace.Dir
			}
			pl.Modules = append(pl.Modules, m.Path+"@"+v)
		}
		if m := p.Module; m != nil && m.Main && !slices.Contains(pl.MainDirs, m.Dir) {
			pl.MainDirs = append(pl.MainDirs, m.Dir)
		}
		if pl.instrument(p) {
			if pl.modCache != "" && strings.HasPrefix(p.Dir, pl.modCache+string(filepath.Separator)) {
				if !pl.skippedMods[p.Module.Path] {
					if pl.skippedMods == nil {
						pl.skippedMods = map[string]bool{}
					}
					pl.skippedMods[p.Module.Path] = true
					pl.Notes = append(pl.Notes, fmt.Sprintf("module %s left uninstrumented: go build cannot overlay files in the module cache (replace it with a local copy to instrument it)", p.Module.Path))
				}
				continue
			}
			pl.Targets = append(pl.Targets, p)
		}
	}
	if len(errs) > 0 {
		return nil, &LoadError{Msg: strings.Join(errs, "\n")}
	}
	if len(pl.Named) == 0 {
		return nil, &LoadError{Msg: fmt.Sprintf("no packages to instrument: %s matched no Go packages (give package import paths, directories like ./pkg or patterns like ./...)", strings.Join(patterns, " "))}
	}
	for _, p := range pl.Targets {
		if p.Error != nil {
			return nil, &LoadError{Msg: fmt.Sprintf("package %s: %s", p.ImportPath, p.Error)}
		}
		files := slices.Concat(p.GoFiles, p.CgoFiles)
		if !p.DepOnly {
			files = slices.Concat(files, p.TestGoFiles, p.XTestGoFiles)
		}
		pl.Inputs = append(pl.Inputs, abs(p.Dir, files)...)
	}
	slices.Sort(pl.Inputs)
	slices.Sort(pl.Modules)
	return pl, nil
}

func (pl *Plan) instrument(p *ListedPackage) bool {
	if p.Standard || p.Module == nil || runtimePkg(p.ImportPath) || p.Name == "" {
		return false
	}
	if pl.runtimeDeps[p.ImportPath] {
		if !p.DepOnly || p.Module.Main {
			pl.Notes = append(pl.Notes, fmt.Sprintf("package %s left uninstrumented: gridlock's own runtime imports it (its tests run as under go test)", p.ImportPath))
		}
		return false
	}
	switch pl.opts.Scope {
	case ScopeNamed:
		return !p.DepOnly
	case ScopeAll:
		return true
	}
	return !p.DepOnly || p.Module.Main
}

// File is one rewritten or added file.
type File struct {
	Path  string // the file it replaces, or the path of an added file
	Src   []byte
	Added bool
}

// Result is a rewrite's output.
type Result struct {
	Files    []File
	Warnings []string
}

// Rewrite type-checks the planned packages and rewrites their files.
func (pl *Plan) Rewrite() (*Result, error) {
	opts := pl.opts
	pkgs := pl.pkgs
	if opts.Mode.Chans || opts.Mode.TestMain {
		var err error
		pkgs, err = GoList(opts.Go, true, opts.Patterns)
		if err != nil {
			return nil, err
		}
	}
	byID := map[string]*ListedPackage{}
	for _, p := range pkgs {
		byID[p.ImportPath] = p
	}
	targets := map[string]bool{}
	for _, p := range pl.Targets {
		targets[p.ImportPath] = true
	}
	us := units(pkgs, func(p *ListedPackage) bool { return targets[p.ImportPath] }, func(p *ListedPackage) bool { return !p.DepOnly })
	res := &Result{Warnings: slices.Clone(pl.Notes)}
	// TestMain: per named package, whether one exists and where to add it.
	type testInfo struct {
		has   bool
		units []*checked
	}
	tests := map[string]*testInfo{}
	cs := make([]*checked, 0, len(us))
	for _, u := range us {
		c, err := typeCheck(u, byID, opts.ReadFile)
		if err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	var kept map[string]string
	if opts.Mode.Sync {
		kept = keepSync(cs)
	}
	for _, c := range cs {
		u := c.unit
		typed := c.typeErr == nil
		mode := opts.Mode
		mode.TestMain = mode.TestMain && !u.plain.DepOnly
		if c.types != nil && mode.Sync {
			if why, ok := kept[c.types.Path()]; ok {
				mode.Sync = false
				res.Warnings = append(res.Warnings, fmt.Sprintf("%s: sync's lock types left untracked: %s", c.types.Path(), why))
			}
		}
		if !typed && opts.Mode.Chans {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s: channel operations left native: type-checking failed: %v", u.pkg.ImportPath, c.typeErr))
		}
		if u.test {
			ti := tests[u.plain.ImportPath]
			if ti == nil {
				ti = &testInfo{}
				tests[u.plain.ImportPath] = ti
			}
			ti.units = append(ti.units, c)
		}
		for i, f := range c.files {
			isTest := strings.HasSuffix(c.unit.files[i], "_test.go")
			if isTest && hasTestMain(f) {
				tests[u.plain.ImportPath].has = true
			}
			fr := newFileRewriter(mode, c.fset, f, c.srcs[i], c.info, c.types, typed)
			fr.testFile = isTest
			out := fr.rewrite()
			res.Warnings = append(res.Warnings, fr.warnings...)
			pinned := false
			if v := mode.GoVersion; v != "" && u.pkg.Module != nil && u.pkg.Module.Main {
				src := out
				if src == nil {
					src = c.srcs[i]
				}
				if p, ok := pinGoVersion(src, c.unit.files[i], v); ok {
					out, pinned = p, true
				}
			}
			if out != nil && !pinned && mode.LineDirectives {
				out = anchorPackage(out, c.unit.files[i])
			}
			if out != nil {
				res.Files = append(res.Files, File{Path: c.unit.files[i], Src: out})
			}
		}
	}
	if opts.Mode.TestMain {
		for _, p := range pl.Targets {
			ti := tests[p.ImportPath]
			if p.DepOnly || ti == nil || ti.has || len(ti.units) == 0 {
				continue
			}
			// The in-package test files when there are some, else the
			// external test package.
			c := ti.units[0]
			for _, u := range ti.units {
				if !u.xtest {
					c = u
				}
			}
			res.Files = append(res.Files, testMainFile(p, c))
		}
	}
	return res, nil
}

func hasTestMain(f *ast.File) bool {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "TestMain" {
			return true
		}
	}
	return false
}

// testMainFile returns the file that adds TestMain to c's package.
func testMainFile(p *ListedPackage, c *checked) File {
	name := p.Name
	if c.xtest {
		name += "_test"
	}
	existing := map[string]bool{}
	for _, f := range slices.Concat(p.GoFiles, p.CgoFiles, p.TestGoFiles, p.XTestGoFiles, p.IgnoredGoFiles) {
		existing[f] = true
	}
	base := "gridlock_testmain_test.go"
	for i := 2; existing[base]; i++ {
		base = fmt.Sprintf("gridlock_testmain%d_test.go", i)
	}
	free := func(n string) string {
		for c.types != nil && c.types.Scope().Lookup(n) != nil {
			n += "_"
		}
		return n
	}
	t, d := free("gridlocktesting"), free("gridlockdetect")
	src := fmt.Sprintf(`// Code generated by gridlock test. DO NOT EDIT.

package %s

import (
	%s "testing"

	%s %q
)

func TestMain(m *%s.M) { %s.VerifyTestMain(m) }
`, name, t, d, DetectPath, t, d)
	return File{Path: filepath.Join(p.Dir, base), Src: []byte(src), Added: true}
}
