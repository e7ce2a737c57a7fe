package rewrite

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// corpus is the shared build of testdata/corpus: a temporary module with one
// main package per corpus file, built as is and through the overlay.
type corpus struct {
	dir      string // module root
	orig     string // directory of the original binaries
	rewr     string // directory of the rewritten binaries
	names    []string
	warnings []string
	err      error
}

var (
	corpusOnce sync.Once
	shared     corpus
)

// detectReady reports whether gridlock's detect package builds, so that
// "sync" imports can be switched to it.
func detectReady(t testing.TB) bool {
	root := ModuleDir()
	if root == "" {
		t.Fatal("cannot locate the gridlock module")
	}
	cmd := exec.Command("go", "build", "./detect")
	cmd.Dir = root
	return cmd.Run() == nil
}

func buildCorpus(t *testing.T) *corpus {
	corpusOnce.Do(func() {
		shared.err = shared.build(t)
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return &shared
}

func (c *corpus) build(t *testing.T) error {
	tmp, err := os.MkdirTemp("", "gridlock-corpus-")
	if err != nil {
		return err
	}
	// Removed by TestMain's cleanup.
	corpusDirs = append(corpusDirs, tmp)
	c.dir = filepath.Join(tmp, "mod")
	c.orig = filepath.Join(tmp, "orig")
	c.rewr = filepath.Join(tmp, "rewr")
	files, err := filepath.Glob("testdata/corpus/*.go")
	if err != nil {
		return err
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".go")
		c.names = append(c.names, name)
		src, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(c.dir, name), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(c.dir, name, "main.go"), src, 0o644); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(c.dir, "go.mod"), []byte("module example.com/corpus\n\ngo 1.26\n"), 0o644); err != nil {
		return err
	}
	if out, err := goCmd(c.dir, "build", "-o", c.orig+"/", "./..."); err != nil {
		return fmt.Errorf("build originals: %v\n%s", err, out)
	}
	g := GoCmd{Dir: c.dir}
	setup, err := SetupModule(g, ModuleDir(), tmp)
	if err != nil {
		return err
	}
	g.Flags = setup.Flags
	g.Env = setup.Env
	ov, err := BuildOverlay(OverlayOptions{
		Options: Options{
			Mode:     Mode{Sync: detectReady(t), Chans: true, LineDirectives: true},
			Go:       g,
			Patterns: []string{"./..."},
			Scope:    ScopeNamed,
		},
		WorkDir: tmp,
	})
	if err != nil {
		return err
	}
	c.warnings = ov.Warnings
	args := append([]string{"build", "-overlay", ov.Path}, setup.Flags...)
	args = append(args, "-o", c.rewr+"/", "./...")
	if out, err := goCmd(c.dir, args...); err != nil {
		return fmt.Errorf("build rewritten: %v\n%s", err, out)
	}
	return nil
}

var corpusDirs []string

func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range corpusDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

func goCmd(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	return cmd.CombinedOutput()
}

func runBinary(t *testing.T, path string) string {
	t.Helper()
	cmd := exec.Command(path)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(&out, "\nexit: %v\n", err)
	}
	return out.String()
}

// TestCorpusBehaviour runs every corpus program as written and rewritten
// and compares their outputs byte for byte.
func TestCorpusBehaviour(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the corpus twice")
	}
	c := buildCorpus(t)
	for _, w := range c.warnings {
		t.Log("warning:", w)
	}
	for _, name := range c.names {
		t.Run(name, func(t *testing.T) {
			want := runBinary(t, filepath.Join(c.orig, name))
			got := runBinary(t, filepath.Join(c.rewr, name))
			if got != want {
				t.Errorf("rewritten %s output:\n%s\nwant (original):\n%s", name, got, want)
			}
		})
	}
}

// TestCorpusGolden compares the rewritten source (as gridlock rewrite
// prints it) with testdata/golden; -update rewrites the golden files.
func TestCorpusGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/corpus/*.go")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".go")
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Join(dir, name), 0o755)
		os.WriteFile(filepath.Join(dir, name, "main.go"), src, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/corpus\n\ngo 1.26\n"), 0o644)
	plan, err := Load(Options{Mode: Mode{Sync: true, Chans: true}, Go: GoCmd{Dir: dir}, Patterns: []string{"./..."}, Scope: ScopeNamed})
	if err != nil {
		t.Fatal(err)
	}
	res, err := plan.Rewrite()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]byte{}
	for _, f := range res.Files {
		src, err := format.Source(f.Src)
		if err != nil {
			t.Errorf("%s: rewritten source does not format: %v", f.Path, err)
			src = f.Src
		}
		got[filepath.Base(filepath.Dir(f.Path))] = src
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".go")
		golden := filepath.Join("testdata", "golden", name+".go.golden")
		if *update {
			os.MkdirAll(filepath.Dir(golden), 0o755)
			if err := os.WriteFile(golden, got[name], 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if !bytes.Equal(got[name], want) {
			t.Errorf("Rewrite(%s) differs from %s (go test -update to accept):\n%s", f, golden, got[name])
		}
	}
}
