package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/gridlock-go/gridlock/internal/rewrite"
)

// passFlag is a go test flag that gridlock test accepts before the packages
// and hands to go test unchanged.
type passFlag struct {
	name   string
	isBool bool
	args   *[]string
}

func (f *passFlag) String() string { return "" }
func (f *passFlag) Set(v string) error {
	*f.args = append(*f.args, "-"+f.name+"="+v)
	return nil
}
func (f *passFlag) IsBoolFlag() bool { return f.isBool }

// go test flags accepted before the packages (all are accepted after --).
var (
	passBool   = []string{"race", "v", "short", "failfast", "cover", "benchmem", "msan", "asan", "trimpath", "x", "json"}
	passString = []string{"run", "skip", "count", "timeout", "bench", "benchtime", "cpu", "parallel", "shuffle", "tags", "coverprofile", "covermode", "coverpkg", "cpuprofile", "memprofile", "blockprofile", "mutexprofile", "outputdir", "ldflags", "gcflags", "p", "vet", "fullpath", "o", "exec"}
)

type testConfig struct {
	waitTimeout   time.Duration
	fatal         string
	instrument    rewrite.Scope
	profile       string
	cache         bool
	gridlockDir   string
	chans, sync   bool
	keepWork      bool
	packages      []string
	goTestArgs    []string // flags for go test, in order
	goTestTimeout time.Duration
}

const testSynopsis = "gridlock test [flags] [packages] [-- go test flags]"

func parseTestArgs(args []string, stderr io.Writer) (*testConfig, error) {
	cfg := &testConfig{}
	fs := newFlagSet("test", testSynopsis, stderr)
	fs.DurationVar(&cfg.waitTimeout, "wait-timeout", 10*time.Second, "report a goroutine blocked this long in a lock, WaitGroup, Cond or channel operation (lowered to a quarter of -timeout when that is shorter than 4x it)")
	fs.StringVar(&cfg.fatal, "fatal", "deadlock+blocked-wait", "report `kinds` (joined with +) after which a test binary exits with status 3; empty: never")
	instrument := fs.String("instrument", "module", "which packages to instrument: named (the packages given), module (also the main module's packages they import) or all-non-std")
	fs.StringVar(&cfg.profile, "profile", "", "write one merged pprof profile of the run's reports to `file`")
	fs.BoolVar(&cfg.cache, "cache", true, "reuse instrumented sources cached under the user cache directory (gridlock/overlay)")
	fs.StringVar(&cfg.gridlockDir, "gridlock-module", "", "`dir`ectory of the gridlock module to build tests with (default: $GRIDLOCK_MODULE, else the module this binary was built from)")
	fs.BoolVar(&cfg.chans, "chans", true, "instrument channel operations")
	fs.BoolVar(&cfg.sync, "sync", true, `instrument "sync" (switch it to gridlock's detect)`)
	fs.BoolVar(&cfg.keepWork, "work", false, "print the temporary work directory and keep it")
	for _, n := range passBool {
		fs.Var(&passFlag{name: n, isBool: true, args: &cfg.goTestArgs}, n, "passed to go test")
	}
	for _, n := range passString {
		fs.Var(&passFlag{name: n, args: &cfg.goTestArgs}, n, "passed to go test")
	}
	// Flags may come before and after the packages; everything after
	// "--" goes to go test.
	rest := args
	var after []string
	for i, a := range args {
		if a == "--" {
			rest, after = args[:i], args[i+1:]
			break
		}
	}
	for {
		if err := parseFlags(fs, rest); err != nil {
			return nil, err
		}
		rest = fs.Args()
		i := 0
		for i < len(rest) && (rest[i] == "-" || !strings.HasPrefix(rest[i], "-")) {
			cfg.packages = append(cfg.packages, rest[i])
			i++
		}
		rest = rest[i:]
		if len(rest) == 0 {
			break
		}
	}
	cfg.goTestArgs = append(cfg.goTestArgs, after...)
	var err error
	if cfg.instrument, err = rewrite.ParseScope(*instrument); err != nil {
		return nil, usageError("test: %v", err)
	}
	if cfg.waitTimeout <= 0 {
		return nil, usageError("test: -wait-timeout must be positive, got %v", cfg.waitTimeout)
	}
	for _, k := range strings.Split(cfg.fatal, "+") {
		if k != "" && !validKind(k) {
			return nil, usageError("test: -fatal: unknown report kind %q: accepted kinds are %s", k, strings.Join(kindNames(), ", "))
		}
	}
	cfg.goTestTimeout = 10 * time.Minute
	for i, a := range cfg.goTestArgs {
		var v string
		switch {
		case strings.HasPrefix(a, "-timeout=") || strings.HasPrefix(a, "--timeout="):
			v = a[strings.IndexByte(a, '=')+1:]
		case (a == "-timeout" || a == "--timeout") && i+1 < len(cfg.goTestArgs):
			v = cfg.goTestArgs[i+1]
		default:
			continue
		}
		d, err := time.ParseDuration(v)
		if err != nil {
			return nil, usageError("test: invalid -timeout %q: want a duration such as 30s or 5m", v)
		}
		cfg.goTestTimeout = d
	}
	if cfg.goTestTimeout > 0 && cfg.goTestTimeout < 4*cfg.waitTimeout {
		cfg.waitTimeout = cfg.goTestTimeout / 4
	}
	return cfg, nil
}

// gridlockModule finds the gridlock module to build the tests with.
func gridlockModule(flagDir string) (string, error) {
	check := func(dir, from string) (string, error) {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return "", err
		}
		if !rewrite.IsGridlockModule(abs) {
			return "", usageError("%s %s is not the gridlock module: it has no go.mod declaring module %s", from, dir, rewrite.ModulePath)
		}
		return abs, nil
	}
	if flagDir != "" {
		return check(flagDir, "-gridlock-module")
	}
	if env := os.Getenv("GRIDLOCK_MODULE"); env != "" {
		return check(env, "GRIDLOCK_MODULE")
	}
	if dir := rewrite.ModuleDir(); dir != "" {
		return dir, nil
	}
	// Built with -trimpath: ask the go command (works inside gridlock or a
	// module that requires it).
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", rewrite.ModulePath).Output()
	if err == nil && strings.TrimSpace(string(out)) != "" {
		return strings.TrimSpace(string(out)), nil
	}
	return "", nil
}

func runTest(args []string, stdout, stderr io.Writer) error {
	cfg, err := parseTestArgs(args, stderr)
	if err != nil {
		return err
	}
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	gldir, err := gridlockModule(cfg.gridlockDir)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "gridlock-test-")
	if err != nil {
		return err
	}
	if cfg.keepWork {
		fmt.Fprintln(stderr, "gridlock: work directory", work)
	} else {
		defer os.RemoveAll(work)
	}
	g := rewrite.GoCmd{Dir: wd}
	setup, err := rewrite.SetupModule(g, gldir, work)
	if err != nil {
		return loadError(err)
	}
	g.Env = setup.Env
	g.Flags = append(g.Flags, setup.Flags...)
	// Flags that change which files are built matter to go list too.
	for i, a := range cfg.goTestArgs {
		name := strings.TrimLeft(a, "-")
		switch {
		case strings.HasPrefix(name, "tags="), name == "race" || strings.HasPrefix(name, "race="):
			g.Flags = append(g.Flags, a)
		case name == "tags" && i+1 < len(cfg.goTestArgs):
			g.Flags = append(g.Flags, "-tags="+cfg.goTestArgs[i+1])
		}
	}
	oo := rewrite.OverlayOptions{
		Options: rewrite.Options{
			Mode:     rewrite.Mode{Sync: cfg.sync, Chans: cfg.chans, TestMain: true, LineDirectives: true, GoVersion: setup.GoVersion},
			Go:       g,
			Patterns: cfg.packages,
			Scope:    cfg.instrument,
		},
		Version: version(),
		WorkDir: work,
	}
	if cfg.cache {
		if dir, err := os.UserCacheDir(); err == nil {
			oo.CacheDir = filepath.Join(dir, "gridlock")
		}
	}
	start := time.Now()
	ov, err := rewrite.BuildOverlay(oo)
	if err != nil {
		return loadError(err)
	}
	for _, w := range ov.Warnings {
		if w != "" {
			fmt.Fprintln(stderr, "gridlock: note:", w)
		}
	}
	if os.Getenv("GRIDLOCK_DEBUG_OVERLAY") != "" {
		fmt.Fprintf(stderr, "gridlock: overlay of %d files in %v (cached: %v): %s\n", ov.Files, time.Since(start).Round(time.Millisecond), ov.Cached, ov.Path)
	}

	settings := []string{"on", "timeout=" + cfg.waitTimeout.String(),
		"file=" + filepath.Join(work, "reports-%p.jsonl"),
		"profile=" + filepath.Join(work, "profile-%p.pb.gz")}
	// Reports are printed once, deduplicated, at the end; the files are
	// complete after every report, so nothing is lost if a binary is killed.
	settings = append(settings, "log=off")
	if cfg.fatal != "" {
		settings = append(settings, "fatal="+cfg.fatal)
	}
	goArgs := []string{"test", "-overlay=" + ov.Path}
	goArgs = append(goArgs, setup.Flags...)
	goArgs = append(goArgs, cfg.packages...)
	goArgs = append(goArgs, cfg.goTestArgs...)
	cmd := exec.Command("go", goArgs...)
	cmd.Dir = wd
	cmd.Env = append(os.Environ(), setup.Env...)
	cmd.Env = append(cmd.Env, "GRIDLOCK="+strings.Join(settings, ","))
	cmd.Stdin = os.Stdin
	status := &statusScanner{json: hasFlag(cfg.goTestArgs, "json"), pkgs: map[string]string{}}
	pr, pw := io.Pipe()
	cmd.Stdout = io.MultiWriter(stdout, pw)
	cmd.Stderr = stderr
	scanDone := make(chan struct{})
	go func() {
		status.scan(pr)
		close(scanDone)
	}()
	runErr := cmd.Run()
	pw.Close()
	<-scanDone
	testsFailed := false
	if runErr != nil {
		var ee *exec.ExitError
		if !errors.As(runErr, &ee) {
			return fmt.Errorf("run go test: %v", runErr)
		}
		testsFailed = true
	}

	reps, err := collectReports(work)
	if err != nil {
		return err
	}
	if cfg.profile != "" {
		files, _ := filepath.Glob(filepath.Join(work, "profile-*.pb.gz"))
		if err := mergeProfiles(cfg.profile, files); err != nil {
			fmt.Fprintf(stderr, "gridlock: -profile: %v\n", err)
		}
	}
	// With -json, stdout is go test's JSON stream: keep it clean.
	out := stdout
	if status.json {
		out = stderr
	}
	printReports(out, reps)
	printSummary(out, reps, status, ov.Plan, testsFailed)
	switch {
	case len(reps.list) > 0:
		return &exitError{code: 3}
	case testsFailed:
		return &exitError{code: 1}
	}
	return nil
}

func hasFlag(args []string, name string) bool {
	for _, a := range args {
		a = strings.TrimLeft(a, "-")
		if a == name || a == name+"=true" {
			return true
		}
	}
	return false
}

// statusScanner reads go test's output for the ok/FAIL line of each
// package.
type statusScanner struct {
	json  bool
	pkgs  map[string]string // package → "ok", "FAIL" or "?" (no test files)
	order []string
}

var statusLine = regexp.MustCompile(`^(ok|FAIL|\?)\s+(\S+)`)

func (s *statusScanner) scan(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		if s.json {
			var ev struct{ Action, Package, Test string }
			if json.Unmarshal([]byte(line), &ev) == nil && ev.Test == "" && ev.Package != "" && (ev.Action == "pass" || ev.Action == "fail") {
				s.set(ev.Package, map[string]string{"pass": "ok", "fail": "FAIL"}[ev.Action])
			}
			continue
		}
		if m := statusLine.FindStringSubmatch(line); m != nil {
			s.set(m[2], m[1])
		}
	}
	io.Copy(io.Discard, r)
}

func (s *statusScanner) set(pkg string, state string) {
	if _, seen := s.pkgs[pkg]; !seen {
		s.order = append(s.order, pkg)
	}
	s.pkgs[pkg] = state
}
