package examples_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridlock-go/gridlock/internal/report"
)

// Each example's TestBug must yield these report kinds, and each kind a
// report naming these functions; TestFixed must yield nothing.
var examples = []struct {
	give string
	want map[report.Kind][]string
}{
	{"abba", map[report.Kind][]string{report.LockOrderCycle: {"abba.Transfer"}}},
	{"cycle3", map[report.Kind][]string{report.LockOrderCycle: {"(*Config).Reload", "(*Cache).Evict", "(*Registry).Refresh"}}},
	{"doublelock", map[report.Kind][]string{report.DoubleLock: {"(*Store).Expired", "(*Store).Touch"}, report.Deadlock: {"(*Store).Expired"}}},
	{"oncereentry", map[report.Kind][]string{report.DoubleLock: {"(*Registry).Lookup", "(*Registry).load"}, report.Deadlock: {"(*Registry).Lookup"}}},
	{"recursiverlock", map[report.Kind][]string{report.RecursiveRLock: {"(*Registry).Get", "(*Registry).Snapshot"}}},
	{"deadlock", map[report.Kind][]string{report.Deadlock: {"deadlock.Move"}, report.LockOrderCycle: {"deadlock.Move"}}},
	{"leakedlock", map[report.Kind][]string{report.LeakedLock: {"(*Limiter).Handle"}}},
	{"waitgroup", map[report.Kind][]string{report.BlockedWait: {"waitgroup.FetchAll"}}},
	{"cond", map[report.Kind][]string{report.BlockedWait: {"(*Queue).Next"}}},
	{"ctxsend", map[report.Kind][]string{report.BlockedWait: {"ctxsend.worker", "ctxsend.First"}}},
	{"earlyreturn", map[report.Kind][]string{report.BlockedWait: {"earlyreturn.Count", "earlyreturn.Stream"}}},
	{"mutexsend", map[report.Kind][]string{report.Deadlock: {"(*Store).Set", "(*Store).Watch"}}},
	{"waitgroupchan", map[report.Kind][]string{report.BlockedWait: {"waitgroupchan.Sum"}}},
	{"doubleclose", map[report.Kind][]string{report.CloseOfClosed: {"(*Server).Stop"}}},
	{"sendonclosed", map[report.Kind][]string{report.SendOnClosed: {"sendonclosed.worker", "sendonclosed.Crawl"}}},
	{"closenil", map[report.Kind][]string{report.CloseOfNil: {"(*Poller).Stop", "closenil.shutdown"}}},
	{"nilchan", map[report.Kind][]string{report.NilChannel: {"(*Bus).Publish"}}},
	{"timeoutleak", map[report.Kind][]string{report.LeakedWait: {"timeoutleak.Call.func1", "timeoutleak.Call"}}},
	{"doubledone", map[report.Kind][]string{report.WaitGroupNeg: {"doubledone.UploadAll.func1"}}},
	{"doubleunlock", map[report.Kind][]string{report.UnlockOfUnlocked: {"(*Sessions).Expire"}}},
	{"condunlocked", map[report.Kind][]string{report.CondWaitUnlocked: {"(*Queue).Pop"}, report.UnlockOfUnlocked: {"(*Queue).Pop"}}},
	{"copiedlock", map[report.Kind][]string{report.CopiedLock: {"(*Counter).Add", "copiedlock.run"}}},
	{"ownership", map[report.Kind][]string{report.Ownership: {"(*Logger).Close", "(*Logger).writer"}}},
}

// gridlock builds the CLI once.
func gridlock(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "gridlock")
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/gridlock").CombinedOutput()
	if err != nil {
		t.Fatalf("go build ../cmd/gridlock: %v\n%s", err, out)
	}
	return bin
}

func names(r *report.Report, fn string) bool {
	for _, s := range r.AllStacks() {
		for _, f := range s {
			if strings.HasSuffix(f.Function, fn) {
				return true
			}
		}
	}
	return false
}

func TestExamplesUnderGridlock(t *testing.T) {
	if testing.Short() {
		t.Skip("runs gridlock test over every example")
	}
	if os.Getenv("GRIDLOCK") != "" {
		t.Skip("running under gridlock already (the README's main job): the examples are its other packages")
	}
	bin := gridlock(t)
	for _, tt := range examples {
		t.Run(tt.give, func(t *testing.T) {
			t.Parallel()
			prof := filepath.Join(t.TempDir(), "out.pb.gz")
			cmd := exec.Command(bin, "test", "-wait-timeout", "1s", "-profile", prof, "./"+tt.give, "--", "-run", "^TestBug$", "-count=1")
			out, err := cmd.CombinedOutput()
			if code := cmd.ProcessState.ExitCode(); code != 3 {
				t.Fatalf("gridlock test ./%s -run TestBug: exit %d (%v), want 3\n%s", tt.give, code, err, out)
			}
			reps, err := report.ReadFile(prof)
			if err != nil {
				t.Fatalf("ReadFile(profile) error = %v\n%s", err, out)
			}
			if tt.give == "deadlock" {
				pprofShows(t, prof, "deadlock.Move")
			}
			for kind, fns := range tt.want {
				// Some report of the kind names every function (a program
				// can have several: the cond example's test goroutine also
				// waits, on a channel, and which is written last varies).
				var ofKind []*report.Report
				var found *report.Report
				for i := range reps {
					if reps[i].Kind != kind {
						continue
					}
					ofKind = append(ofKind, &reps[i])
					all := true
					for _, fn := range fns {
						all = all && names(&reps[i], fn)
					}
					if all && found == nil {
						found = &reps[i]
					}
				}
				if len(ofKind) == 0 {
					t.Errorf("reports of ./%s lack kind %s; output:\n%s", tt.give, kind, out)
					continue
				}
				if found == nil {
					for _, r := range ofKind {
						t.Errorf("%s report of ./%s does not name all of %v:\n%s", kind, tt.give, fns, report.Text(r))
					}
				}
			}
		})
	}
	t.Run("fixed", func(t *testing.T) {
		t.Parallel()
		cmd := exec.Command(bin, "test", "-wait-timeout", "1s", "./...", "--", "-run", "^TestFixed$", "-count=1")
		out, _ := cmd.CombinedOutput()
		if code := cmd.ProcessState.ExitCode(); code != 0 {
			t.Fatalf("gridlock test ./... -run TestFixed: exit %d, want 0 (no report)\n%s", code, out)
		}
		if strings.Contains(string(out), "gridlock: ") && strings.Contains(string(out), "reports") && !strings.Contains(string(out), "0 reports") {
			t.Logf("%s", out)
		}
	})
}

// pprofShows runs the real go tool pprof on a profile made by a real
// deadlock and checks that -top, -traces and -tagfocus show fn.
func pprofShows(t *testing.T, prof, fn string) {
	t.Helper()
	for _, args := range [][]string{
		{"-top"},
		{"-traces"},
		{"-top", "-tagfocus", "kind=deadlock"},
	} {
		cmd := exec.Command("go", append(append([]string{"tool", "pprof"}, args...), prof)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("go tool pprof %v: %v\n%s", args, err, out)
			continue
		}
		if !strings.Contains(string(out), fn) {
			t.Errorf("go tool pprof %v does not show %s:\n%s", args, fn, out)
		}
	}
	cmd := exec.Command("go", "tool", "pprof", "-top", "-tagfocus", "kind=no-such-kind", prof)
	if out, _ := cmd.CombinedOutput(); strings.Contains(string(out), fn) {
		t.Errorf("go tool pprof -tagfocus kind=no-such-kind still shows %s:\n%s", fn, out)
	}
}

func TestMain(m *testing.M) {
	if _, err := exec.LookPath("go"); err != nil {
		os.Exit(0)
	}
	os.Exit(m.Run())
}
