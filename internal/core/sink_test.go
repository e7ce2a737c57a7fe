package core

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gridlock-go/gridlock/internal/config"
	"github.com/gridlock-go/gridlock/internal/report"
)

// TestWriteFileAtomic rewrites a report file from several goroutines while
// others read it: every read must see a whole file, old or new.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "reports.jsonl")
	// content returns a file of n reports, big enough that a torn write
	// would show.
	content := func(writer, n int) []byte {
		var b bytes.Buffer
		for i := range n {
			r := report.Report{
				Kind:    report.Deadlock,
				Summary: fmt.Sprintf("writer %d report %d %s", writer, i, strings.Repeat("x", 2000)),
				Count:   1,
			}
			r.ID = r.CauseID()
			report.WriteJSON(&b, &r)
		}
		return b.Bytes()
	}
	if err := WriteFileAtomic(path, content(0, 1)); err != nil {
		t.Fatalf("WriteFileAtomic(%s) = %v, want nil", path, err)
	}

	const writers, writes, readers = 4, 50, 4
	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, writers+readers)
	for w := range writers {
		wg.Go(func() {
			for i := range writes {
				if err := WriteFileAtomic(path, content(w+1, 1+i%20)); err != nil {
					errs <- fmt.Errorf("WriteFileAtomic(%s) = %v, want nil", path, err)
					return
				}
			}
		})
	}
	var reads sync.WaitGroup
	for range readers {
		reads.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				reps, err := report.ReadFile(path)
				if err != nil {
					errs <- fmt.Errorf("read %d: report.ReadFile(%s) = %v, want a whole file", n, path, err)
					return
				}
				if len(reps) == 0 {
					errs <- fmt.Errorf("read %d: report.ReadFile(%s) = no reports, want 1 or more", n, path)
					return
				}
				// A file is written by one writer: all its reports say so.
				prefix, _, _ := strings.Cut(reps[0].Summary, " report ")
				for _, r := range reps {
					if !strings.HasPrefix(r.Summary, prefix+" report ") {
						errs <- fmt.Errorf("read %d: reports of %q and %q in one file", n, prefix, r.Summary[:20])
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	reads.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	// No temporary file is left behind.
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "reports.jsonl" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("files after WriteFileAtomic = %v, want [reports.jsonl]", names)
	}
}

func TestWriteFileAtomicError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "dir", "r.jsonl")
	if err := WriteFileAtomic(path, []byte("x")); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("WriteFileAtomic(%s) = %v, want a not-exist error", path, err)
	}
}

func TestExpandPath(t *testing.T) {
	pid := strconv.Itoa(os.Getpid())
	start := strconv.FormatInt(epoch.Unix(), 10)
	tests := []struct {
		give, want string
	}{
		{"r.jsonl", "r.jsonl"},
		{"r-%p.jsonl", "r-" + pid + ".jsonl"},
		{"/tmp/%t/%p-%p", "/tmp/" + start + "/" + pid + "-" + pid},
		{"100%%-%p", "100%-" + pid},
		{"%%p", "%p"},
		{"%x", "%x"},
	}
	for _, tt := range tests {
		if got := ExpandPath(tt.give); got != tt.want {
			t.Errorf("ExpandPath(%q) = %q, want %q", tt.give, got, tt.want)
		}
	}
	if got := ExpandPath("r-%p.jsonl"); !strings.Contains(got, pid) {
		t.Errorf("ExpandPath(%q) = %q, want it to contain the pid %s", "r-%p.jsonl", got, pid)
	}
}

func TestQuiescent(t *testing.T) {
	g := func(state string, fns ...string) *gdump {
		d := &gdump{state: state}
		for _, fn := range fns {
			d.stack = append(d.stack, report.Frame{Function: fn})
		}
		return d
	}
	blocked := g("chan receive", "main.worker")
	tests := []struct {
		give string
		snap snapshot
		want bool
	}{
		{"all blocked", snapshot{1: blocked, 2: g("sync.Mutex.Lock, 2 minutes", "main.f"), 3: g("select", "main.g")}, true},
		{"one running", snapshot{1: blocked, 2: g("running", "main.compute")}, false},
		{"one runnable", snapshot{1: blocked, 2: g("runnable", "main.compute")}, false},
		{"one sleeping", snapshot{1: blocked, 2: g("sleep", "time.Sleep", "main.heartbeat")}, false},
		{"one in a system call", snapshot{1: blocked, 2: g("syscall", "syscall.read", "main.readInput")}, false},
		{"one waiting for I/O", snapshot{1: blocked, 2: g("IO wait, 5 minutes", "internal/poll.runtime_pollWait", "net.(*TCPListener).Accept")}, false},
		{"the sink running", snapshot{1: blocked, 2: g("running", "github.com/gridlock-go/gridlock/internal/core.takeSnapshot", "github.com/gridlock-go/gridlock/internal/core.(*sink).handle")}, true},
		{"one in another state", snapshot{1: blocked, 2: g("preempted", "main.compute")}, false},
		{"the signal loop", snapshot{1: blocked, 2: g("syscall", "os/signal.signal_recv", "os/signal.loop")}, true},
	}
	for _, tt := range tests {
		if got := quiescent(tt.snap); got != tt.want {
			t.Errorf("quiescent(%s) = %v, want %v", tt.give, got, tt.want)
		}
	}
}

// TestFileCountsRepeats submits one cause three times: the report file must
// say so after a flush, though the repeats add no report to it.
func TestFileCountsRepeats(t *testing.T) {
	file := filepath.Join(t.TempDir(), "reports.jsonl")
	d := New(Config{
		Settings: config.Settings{Enabled: true, Log: "off", Action: "log", File: file},
		Stderr:   io.Discard,
	})
	defer d.Close()
	for range 3 {
		d.Submit(report.Report{
			Kind:    report.LeakedWait,
			Summary: "goroutine 7 is still blocked",
			Count:   1,
			Stacks: []report.Labelled{{Label: "site", Stack: report.Stack{
				{Function: "example.com/p.f", File: "/src/p/f.go", Line: 3},
			}}},
		})
		d.Flush()
	}
	reps, err := report.ReadFile(file)
	if err != nil {
		t.Fatalf("report.ReadFile(%s) = %v, want nil", file, err)
	}
	if len(reps) != 1 || reps[0].Count != 3 {
		var counts []int
		for _, r := range reps {
			counts = append(counts, r.Count)
		}
		t.Errorf("report file has counts %v, want [3]", counts)
	}
}
