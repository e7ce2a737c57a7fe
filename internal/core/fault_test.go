package core

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gridlock-go/gridlock/internal/config"
	"github.com/gridlock-go/gridlock/internal/report"
)

// Fault test: a process writing report files is killed (SIGKILL: no defer,
// no cleanup) at random moments. Each time, a reader must find every report
// file absent or whole.

var faultIters = flag.Int("faultiters", 20, "child processes killed per mode by TestKillMidWrite")

const (
	faultModeEnv = "GRIDLOCK_FAULT_CHILD" // "atomic" or "detector": run as the child
	faultDirEnv  = "GRIDLOCK_FAULT_DIR"
)

const (
	faultReports = "reports.jsonl"
	faultProfile = "profile.pb.gz"
)

// faultContent is the file the atomic-mode child writes on its write number
// i: n reports that each say "write i of n", about 1.5 KB each, so that a
// torn or truncated file cannot pass for a whole one.
func faultContent(i int) []byte {
	n := 1 + i%64
	var b bytes.Buffer
	for k := range n {
		r := report.Report{
			Kind:    report.Deadlock,
			Summary: fmt.Sprintf("write %d of %d: report %d %s", i, n, k, strings.Repeat("x", 1500)),
			Count:   1,
		}
		r.ID = r.CauseID()
		report.WriteJSON(&b, &r)
	}
	return b.Bytes()
}

// TestFaultChild is the process TestKillMidWrite kills; it does nothing
// unless run by it.
func TestFaultChild(t *testing.T) {
	mode, dir := os.Getenv(faultModeEnv), os.Getenv(faultDirEnv)
	if mode == "" {
		t.Skip("the child process of TestKillMidWrite")
	}
	// Never outlive a parent that failed to kill us.
	deadline := time.Now().Add(20 * time.Second)
	switch mode {
	case "atomic":
		for i := 0; time.Now().Before(deadline); i++ {
			if err := WriteFileAtomic(filepath.Join(dir, faultReports), faultContent(i)); err != nil {
				t.Fatal(err)
			}
		}
	case "detector":
		// The sink rewrites both files (JSON lines and profile) after
		// every new report, each time with every report so far.
		d := New(Config{
			Settings: config.Settings{
				Enabled: true, Log: "off", Action: "log",
				File:    filepath.Join(dir, faultReports),
				Profile: filepath.Join(dir, faultProfile),
			},
			Stderr: io.Discard,
		})
		for i := 0; time.Now().Before(deadline); i++ {
			d.Submit(report.Report{
				Kind:    report.BlockedWait,
				Summary: fmt.Sprintf("report %d", i),
				Count:   1,
				Stacks: []report.Labelled{{Label: "site", Stack: report.Stack{
					{Function: "example.com/p.f", File: "/src/p/f.go", Line: i + 1},
				}}},
			})
			if i%8 == 7 {
				d.Flush() // do not drop: every report is a new, bigger file
			}
		}
	default:
		t.Fatalf("%s=%q", faultModeEnv, mode)
	}
}

// faultCheck reads the report files in dir as a reader would, after a kill.
// It returns the names of the temporary files it found.
func faultCheck(t *testing.T, dir, mode string, iter int) (temps []string) {
	t.Helper()
	for _, name := range []string{faultReports, faultProfile} {
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); os.IsNotExist(err) {
			continue // killed before the first rename: absent is fine
		}
		reps, err := report.ReadFile(path)
		if err != nil {
			t.Errorf("kill %d: %s: report.ReadFile = %v: a partial file", iter, name, err)
			continue
		}
		if len(reps) == 0 {
			t.Errorf("kill %d: %s has no report: an empty file", iter, name)
			continue
		}
		switch mode {
		case "atomic":
			// One write's whole content: n reports, all "write i of n".
			var i, n int
			if _, err := fmt.Sscanf(reps[0].Summary, "write %d of %d:", &i, &n); err != nil {
				t.Errorf("kill %d: %s: first summary %.30q", iter, name, reps[0].Summary)
				continue
			}
			prefix := fmt.Sprintf("write %d of %d: ", i, n)
			for k, r := range reps {
				if !strings.HasPrefix(r.Summary, prefix+"report "+strconv.Itoa(k)+" ") {
					t.Errorf("kill %d: %s: report %d is %.30q, want %q", iter, name, k, r.Summary, prefix)
					break
				}
			}
			if len(reps) != n {
				t.Errorf("kill %d: %s has %d reports of write %d, want %d: a truncated file", iter, name, len(reps), i, n)
			}
		case "detector":
			// Every report so far, each once.
			seen := map[string]bool{}
			for _, r := range reps {
				if r.Kind != report.BlockedWait || seen[r.Summary] {
					t.Errorf("kill %d: %s: unexpected or repeated report %s %q", iter, name, r.Kind, r.Summary)
				}
				seen[r.Summary] = true
			}
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		switch n := e.Name(); {
		case n == faultReports || n == faultProfile:
		case strings.HasPrefix(n, "."+faultReports+".tmp") || strings.HasPrefix(n, "."+faultProfile+".tmp"):
			temps = append(temps, n)
		default:
			t.Errorf("kill %d: unexpected file %s", iter, n)
		}
	}
	return temps
}

// killMidWrite starts iters children in mode, all writing in one
// directory (as runs with the same file= path do), kills each at a random
// moment and checks the files after each kill. It returns the number of
// temporary files left after each kill.
func killMidWrite(t *testing.T, mode string, iters int) (dir string, temps []int) {
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	dir = t.TempDir()
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	for it := range iters {
		cmd := exec.Command(exe, "-test.run=^TestFaultChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), faultModeEnv+"="+mode, faultDirEnv+"="+dir)
		cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Let it write a while: the first writes come after the test
		// binary started (tens of ms), then it writes continuously.
		time.Sleep(time.Duration(20+r.IntN(150)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("kill %d: the child ended before the kill (%v): it failed", it, err)
		}
		temps = append(temps, len(faultCheck(t, dir, mode, it)))
	}
	return dir, temps
}

// TestKillMidWrite kills writers of report files with SIGKILL at random
// moments: the report file and the profile must always be absent or whole.
func TestKillMidWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills child processes")
	}
	for _, mode := range []string{"atomic", "detector"} {
		t.Run(mode, func(t *testing.T) {
			dir, temps := killMidWrite(t, mode, *faultIters)
			present := 0
			for _, name := range []string{faultReports, faultProfile} {
				if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
					present++
				}
			}
			if present == 0 {
				t.Errorf("no report file after %d kills: the children never wrote one, nothing was tested", len(temps))
			}
			// Temporary files of killed writers are not removed by anybody
			// (see TestKillMidWriteLeavesOneTempFile): log how many.
			t.Logf("%d kills: temporary files left after each: %v", len(temps), temps)
		})
	}
}

// TestKillMidWriteLeavesOneTempFile: a writer killed between CreateTemp and
// Rename leaves its temporary file; the next writer of the same path must
// not let them pile up (at most one per target file may be left).
func TestKillMidWriteLeavesOneTempFile(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills child processes")
	}
	_, temps := killMidWrite(t, "atomic", *faultIters)
	for it, n := range temps {
		if n > 1 {
			t.Fatalf("after kill %d: %d temporary files beside %s, want at most 1 (all: %v)", it, n, faultReports, temps)
		}
	}
}
