// Command corpusrun runs the detection-quality corpus (benchmarks/corpus)
// under a deadlock/leak detector and tabulates what it finds.
//
// For every corpus package it builds the test binary once (with the tool's
// -overlay, if any), then runs TestBug and TestFixed -n times each, killing
// the process group when a run exceeds -timeout. A run of TestBug counts as
// "reported" when the tool's report marker appears in the output, and as
// "reported with frames" when the output also names one of the package's
// corpus:frames functions. A report on TestFixed is a false report.
//
// Usage (from the benchmarks module directory):
//
//	go run ./cmd/corpusrun -tool goleak -n 5 -timeout 20s -p 4 -md /tmp/goleak.md
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "corpusrun:", err)
		}
		os.Exit(2)
	}
}

type config struct {
	tool    Tool
	n       int
	timeout time.Duration
	p       int
	md      string
	corpus  string
	filter  *regexp.Regexp
	verbose bool
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("corpusrun", flag.ContinueOnError)
	fs.SetOutput(stderr)
	toolName := fs.String("tool", "none", "detector to evaluate: "+toolNames())
	n := fs.Int("n", 5, "runs of TestBug and of TestFixed per package")
	timeout := fs.Duration("timeout", 20*time.Second, "time bound of one run; the process group is killed past it")
	p := fs.Int("p", 1, "packages run in parallel")
	md := fs.String("md", "", "also write the tables as Markdown to this file")
	corpus := fs.String("corpus", "corpus", "corpus root directory")
	filter := fs.String("run", "", "only packages whose corpus path (e.g. resource/abba/refresher) matches this regexp")
	verbose := fs.Bool("v", false, "print every run")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	t, ok := tools[*toolName]
	if !ok {
		return nil, fmt.Errorf("unknown -tool %q (want one of %s)", *toolName, toolNames())
	}
	if *n < 1 {
		return nil, fmt.Errorf("-n must be at least 1, got %d", *n)
	}
	if *timeout <= 0 {
		return nil, fmt.Errorf("-timeout must be positive, got %v", *timeout)
	}
	if *p < 1 {
		return nil, fmt.Errorf("-p must be at least 1, got %d", *p)
	}
	re, err := regexp.Compile(*filter)
	if err != nil {
		return nil, fmt.Errorf("bad -run regexp: %v", err)
	}
	return &config{tool: t, n: *n, timeout: *timeout, p: *p, md: *md, corpus: *corpus, filter: re, verbose: *verbose}, nil
}

// Run is the outcome of one test run.
type Run struct {
	Test       string // TestBug or TestFixed
	Reported   bool
	WithFrames bool
	TTFR       time.Duration // process start to first report line
	Hung       bool
	ExitErr    bool // non-zero exit without hitting the bound
	Elapsed    time.Duration
	Kinds      []string // report kinds (tools with Inspect)
	Summaries  []string // "kind: summary" of each report (tools with Inspect)
	InspectErr error
	Claimed    int // reports the process said it made (tools with Claims)
}

// Result gathers the runs of one program.
type Result struct {
	Prog     Program
	BuildErr error
	Runs     []Run
}

func run(args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	progs, err := discover(cfg.corpus)
	if err != nil {
		return err
	}
	var sel []Program
	for _, p := range progs {
		if cfg.filter.MatchString(p.Rel) {
			sel = append(sel, p)
		}
	}
	if len(sel) == 0 {
		return fmt.Errorf("no corpus package under %s matches -run %q", cfg.corpus, cfg.filter)
	}
	modRoot, err := filepath.Abs(filepath.Join(cfg.corpus, ".."))
	if err != nil {
		return err
	}
	if cfg.tool.Name == "gridlock" {
		// Build the CLI once, up front: a failure is one error, not one per package.
		if _, err := gridlockBinary(); err != nil {
			return err
		}
	}
	start := time.Now()
	results := make([]Result, len(sel))
	jobs := make(chan int)
	var wg sync.WaitGroup
	var logMu sync.Mutex
	for w := 0; w < cfg.p; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i] = runProgram(cfg, modRoot, sel[i])
				logMu.Lock()
				fmt.Fprintln(stderr, summaryLine(results[i], cfg.verbose))
				logMu.Unlock()
			}
		}()
	}
	for i := range sel {
		jobs <- i
	}
	close(jobs)
	wg.Wait()

	cmdline := "go run ./cmd/corpusrun " + strings.Join(args, " ")
	md := markdown(cfg, results, cmdline, time.Since(start))
	fmt.Fprint(stdout, md)
	if cfg.md != "" {
		if err := os.WriteFile(cfg.md, []byte(md), 0o644); err != nil {
			return err
		}
	}
	for _, r := range results {
		if r.BuildErr != nil {
			return fmt.Errorf("%s: %v", r.Prog.Rel, r.BuildErr)
		}
	}
	return nil
}

func summaryLine(r Result, verbose bool) string {
	if r.BuildErr != nil {
		return fmt.Sprintf("%-45s build error: %v", r.Prog.Rel, r.BuildErr)
	}
	var s agg
	s.add(r)
	line := fmt.Sprintf("%-45s bug: reported %d/%d (frames %d) hung %d | fixed: false %d, failed %d",
		r.Prog.Rel, s.reported, s.bugRuns, s.frames, s.hung, s.falseRep, s.fixedFail)
	if s.bugLost+s.fixedLost > 0 {
		line += fmt.Sprintf(" | reports claimed but not written: bug %d, fixed %d", s.bugLost, s.fixedLost)
	}
	if verbose {
		for _, x := range r.Runs {
			line += fmt.Sprintf("\n    %-9s reported=%v frames=%v ttfr=%v hung=%v exitErr=%v elapsed=%v kinds=%v claimed=%d",
				x.Test, x.Reported, x.WithFrames, x.TTFR.Round(time.Millisecond), x.Hung, x.ExitErr, x.Elapsed.Round(time.Millisecond), x.Kinds, x.Claimed)
			if x.InspectErr != nil {
				line += fmt.Sprintf(" inspect error: %v", x.InspectErr)
			}
		}
	}
	// A report on a fixed twin is the finding that matters most: always
	// show what it said.
	for _, x := range r.Runs {
		if x.Test == "TestFixed" && x.Reported {
			for _, sum := range x.Summaries {
				line += "\n    FALSE REPORT on TestFixed: " + sum
			}
		}
	}
	return line
}

func runProgram(cfg *config, modRoot string, p Program) Result {
	res := Result{Prog: p}
	tmp, err := os.MkdirTemp("", "corpusrun-")
	if err != nil {
		res.BuildErr = err
		return res
	}
	defer os.RemoveAll(tmp)
	extra, err := cfg.tool.Prepare(p, tmp)
	if err != nil {
		res.BuildErr = err
		return res
	}
	bin := filepath.Join(tmp, "test.bin")
	args := append([]string{"test", "-c", "-o", bin}, extra...)
	args = append(args, "./"+filepath.ToSlash(mustRel(modRoot, p.Dir)))
	cmd := exec.Command("go", args...)
	cmd.Dir = modRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		res.BuildErr = fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		return res
	}
	for _, test := range []string{"TestBug", "TestFixed"} {
		for i := 0; i < cfg.n; i++ {
			runDir := filepath.Join(tmp, fmt.Sprintf("%s-%d", test, i))
			if err := os.Mkdir(runDir, 0o755); err != nil {
				res.BuildErr = err
				return res
			}
			res.Runs = append(res.Runs, runOnce(cfg, bin, runDir, p, test))
		}
	}
	return res
}

func mustRel(base, path string) string {
	r, err := filepath.Rel(base, path)
	if err != nil {
		return path
	}
	return r
}

// runOnce runs the test binary once, in its own process group, and watches
// its output for the tool's report marker (or, for tools with Inspect, reads
// what the run left in runDir).
func runOnce(cfg *config, bin, runDir string, p Program, test string) Run {
	r := Run{Test: test}
	ctx, cancel := context.WithTimeout(context.Background(), cfg.timeout)
	defer cancel()
	cmd := exec.Command(bin, "-test.run", "^"+test+"$", "-test.count=1", "-test.timeout=10m")
	// -test.timeout=10m is what `go test` passes by default; its pending
	// timer also keeps the runtime's "all goroutines are asleep" check
	// quiet, as under a plain `go test`.
	cmd.Dir = p.Dir
	if cfg.tool.Env != nil {
		cmd.Env = append(os.Environ(), cfg.tool.Env(runDir)...)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	pr, pw, err := os.Pipe()
	if err != nil {
		r.ExitErr = true
		return r
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	start := time.Now()
	if err := cmd.Start(); err != nil {
		pw.Close()
		pr.Close()
		r.ExitErr = true
		return r
	}
	pw.Close()

	var out strings.Builder
	scanDone := make(chan struct{})
	go func() {
		defer close(scanDone)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if cfg.tool.Claims != nil {
				r.Claimed += cfg.tool.Claims(line)
			}
			if cfg.tool.Inspect == nil && !r.Reported && cfg.tool.Marker(line) {
				r.Reported = true
				r.TTFR = time.Since(start)
			}
			out.WriteString(line)
			out.WriteByte('\n')
		}
	}()
	waitErr := make(chan error, 1)
	go func() { waitErr <- cmd.Wait() }()
	select {
	case err = <-waitErr:
		r.ExitErr = err != nil
	case <-ctx.Done():
		r.Hung = true
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-waitErr
	}
	r.Elapsed = time.Since(start)
	pr.Close()
	<-scanDone
	if cfg.tool.Inspect != nil {
		f, err := cfg.tool.Inspect(runDir, p, start)
		r.Reported, r.WithFrames, r.TTFR, r.Kinds, r.Summaries, r.InspectErr = f.Reported, f.WithFrames, f.TTFR, f.Kinds, f.Summaries, err
		return r
	}
	if r.Reported {
		r.WithFrames = namesFrame(out.String(), p)
	}
	return r
}

// agg accumulates counts over results.
type agg struct {
	programs, detectedProgs, framedProgs int
	bugRuns, reported, frames, hung      int
	fixedRuns, falseRep, fixedFail       int
	ttfr                                 []time.Duration
	// Runs without a report (as the tool's files or marker tell) whose
	// output still claimed reports: reports made but lost.
	bugLost, fixedLost int
}

func (a *agg) add(r Result) {
	a.programs++
	det, fr := false, false
	for _, x := range r.Runs {
		if x.Test == "TestBug" {
			a.bugRuns++
			if x.Reported {
				a.reported++
				det = true
				a.ttfr = append(a.ttfr, x.TTFR)
			}
			if x.WithFrames {
				a.frames++
				fr = true
			}
			if x.Hung {
				a.hung++
			}
			if !x.Reported && x.Claimed > 0 {
				a.bugLost++
			}
			continue
		}
		a.fixedRuns++
		if !x.Reported && x.Claimed > 0 {
			a.fixedLost++
		}
		if x.Reported {
			a.falseRep++
		} else if x.Hung || x.ExitErr {
			a.fixedFail++
		}
	}
	if det {
		a.detectedProgs++
	}
	if fr {
		a.framedProgs++
	}
}

func (a *agg) medianTTFR() string {
	if len(a.ttfr) == 0 {
		return "-"
	}
	s := append([]time.Duration(nil), a.ttfr...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2].Round(time.Millisecond).String()
}

func pct(n, d int) string {
	if d == 0 {
		return "-"
	}
	return fmt.Sprintf("%d/%d (%.0f%%)", n, d, 100*float64(n)/float64(d))
}

func markdown(cfg *config, results []Result, cmdline string, took time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s\n\n", cfg.tool.Name)
	fmt.Fprintf(&b, "`%s` (%d runs of TestBug and of TestFixed per package, %v bound per run; wall time %v)\n\n",
		cmdline, cfg.n, cfg.timeout, took.Round(time.Second))
	fmt.Fprintln(&b, "| category | programs | programs found (with frames) | bug runs reported | reported with frames | bug runs hung | median time to first report | false reports on fixed | fixed runs failed/hung |")
	fmt.Fprintln(&b, "|---|---|---|---|---|---|---|---|---|")
	byCat := map[string]*agg{}
	var cats []string
	total := &agg{}
	for _, r := range results {
		c := r.Prog.Category
		if byCat[c] == nil {
			byCat[c] = &agg{}
			cats = append(cats, c)
		}
		byCat[c].add(r)
		total.add(r)
	}
	sort.Strings(cats)
	row := func(name string, a *agg) {
		fmt.Fprintf(&b, "| %s | %d | %d (%d) | %s | %s | %s | %s | %s | %s |\n", name, a.programs,
			a.detectedProgs, a.framedProgs, pct(a.reported, a.bugRuns), pct(a.frames, a.bugRuns),
			pct(a.hung, a.bugRuns), a.medianTTFR(), pct(a.falseRep, a.fixedRuns), pct(a.fixedFail, a.fixedRuns))
	}
	for _, c := range cats {
		row(c, byCat[c])
	}
	row("**total**", total)
	fmt.Fprintln(&b)
	claims := cfg.tool.Claims != nil
	if claims {
		fmt.Fprintf(&b, "Runs with no report in the tool's files whose output nevertheless claimed reports "+
			"(lost reports, counted as not reported above): TestBug %s, TestFixed %s.\n\n",
			pct(total.bugLost, total.bugRuns), pct(total.fixedLost, total.fixedRuns))
	}
	fmt.Fprintln(&b, "<details><summary>per program</summary>")
	fmt.Fprintln(&b)
	if claims {
		fmt.Fprintln(&b, "| program | bug reported | with frames | hung | median time to first report | false reports | fixed failed | lost: bug/fixed |")
		fmt.Fprintln(&b, "|---|---|---|---|---|---|---|---|")
	} else {
		fmt.Fprintln(&b, "| program | bug reported | with frames | hung | median time to first report | false reports | fixed failed |")
		fmt.Fprintln(&b, "|---|---|---|---|---|---|---|")
	}
	for _, r := range results {
		if r.BuildErr != nil {
			fmt.Fprintf(&b, "| %s | build error | | | | | |%s\n", r.Prog.Rel, map[bool]string{true: " |"}[claims])
			continue
		}
		var a agg
		a.add(r)
		fmt.Fprintf(&b, "| %s | %d/%d | %d | %d | %s | %d | %d |", r.Prog.Rel, a.reported, a.bugRuns, a.frames, a.hung, a.medianTTFR(), a.falseRep, a.fixedFail)
		if claims {
			fmt.Fprintf(&b, " %d/%d |", a.bugLost, a.fixedLost)
		}
		b.WriteByte('\n')
	}
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "</details>")
	fmt.Fprintln(&b)
	return b.String()
}
