package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/pprof/profile"
)

// diffReports returns "" when got equals want modulo Frame.PC (which the
// files do not keep), else a description of the first difference.
func diffReports(got, want []Report) string {
	w, _ := json.Marshal(want)
	var wantRT []Report
	if err := json.Unmarshal(w, &wantRT); err != nil {
		return err.Error()
	}
	if reflect.DeepEqual(got, wantRT) {
		return ""
	}
	if len(got) != len(wantRT) {
		return "got " + strconv.Itoa(len(got)) + " reports, want " + strconv.Itoa(len(wantRT))
	}
	for i := range got {
		if !reflect.DeepEqual(got[i], wantRT[i]) {
			g, _ := json.Marshal(got[i])
			w, _ := json.Marshal(wantRT[i])
			return "report " + strconv.Itoa(i) + ":\n got " + string(g) + "\nwant " + string(w)
		}
	}
	return "?"
}

func profileBytes(t testing.TB, reps []Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteProfile(&b, reps); err != nil {
		t.Fatalf("WriteProfile(...) = %v, want nil", err)
	}
	return b.Bytes()
}

// cpuProfile returns a real CPU profile of a short busy loop, or one of the
// same shape if CPU profiling is busy.
func cpuProfile(t testing.TB) []byte {
	var b bytes.Buffer
	if err := pprof.StartCPUProfile(&b); err == nil {
		for end := time.Now().Add(30 * time.Millisecond); time.Now().Before(end); {
		}
		pprof.StopCPUProfile()
		return b.Bytes()
	}
	p := &profile.Profile{
		SampleType: []*profile.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}},
		PeriodType: &profile.ValueType{Type: "cpu", Unit: "nanoseconds"},
		Period:     10000000,
	}
	if err := p.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestProfileRoundTrip(t *testing.T) {
	all := testReports()
	tests := []struct {
		name string
		give []Report
	}{
		{"none", nil},
		{"all", all},
		{"cycle", all[:1]},
		{"no stacks", all[5:]},
		{"with pcs", []Report{realCycle()}},
		{"empty id", []Report{{Kind: Deadlock, Summary: "s", Goroutines: []Goroutine{{ID: 1, Stack: stack(frame("f", 1))}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := profileBytes(t, tt.give)
			got, err := ReadProfile(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("ReadProfile(WriteProfile(%s)) = %v", tt.name, err)
			}
			if d := diffReports(got, tt.give); d != "" {
				t.Errorf("ReadProfile(WriteProfile(%s)) differs: %s", tt.name, d)
			}
			got, err = Read(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("Read(WriteProfile(%s)) = %v", tt.name, err)
			}
			if d := diffReports(got, tt.give); d != "" {
				t.Errorf("Read(WriteProfile(%s)) differs: %s", tt.name, d)
			}
			p, err := profile.ParseData(data)
			if err != nil {
				t.Fatalf("profile.ParseData(WriteProfile(%s)) = %v", tt.name, err)
			}
			if err := p.CheckValid(); err != nil {
				t.Errorf("WriteProfile(%s).CheckValid() = %v, want nil", tt.name, err)
			}
		})
	}
}

// sampleDesc is a sample in short: its role, object, values and stack top.
type sampleDesc struct {
	Kind, Role, Object, Goroutine string
	Values                        [3]int64
	Top                           string
}

func describe(p *profile.Profile) []sampleDesc {
	var out []sampleDesc
	for _, s := range p.Sample {
		d := sampleDesc{
			Kind: first(s.Label["kind"]), Role: first(s.Label["role"]),
			Object: first(s.Label["object"]), Goroutine: first(s.Label["goroutine"]),
		}
		copy(d.Values[:], s.Value)
		if len(s.Location) > 0 && len(s.Location[0].Line) > 0 {
			l := s.Location[0].Line[0]
			d.Top = strings.TrimPrefix(l.Function.Name, "example.com/bank.") + ":" + strconv.FormatInt(l.Line, 10)
		}
		out = append(out, d)
	}
	return out
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func TestProfileSamples(t *testing.T) {
	all := testReports()
	sec := int64(time.Second)
	tests := []struct {
		name string
		give Report
		want []sampleDesc
	}{
		{"cycle", all[0], []sampleDesc{
			{"lock-order-cycle", "edge 1/2 to", "Mutex#2 at example.com/bank.Open (account.go:13)", "7", [3]int64{2, 0, 1}, "(*Account).Transfer:41"},
			{"lock-order-cycle", "edge 1/2 from", "Mutex#1 at example.com/bank.Open (account.go:12)", "7", [3]int64{0, 0, 1}, "(*Account).Transfer:40"},
			{"lock-order-cycle", "edge 2/2 to", "Mutex#1 at example.com/bank.Open (account.go:12)", "8", [3]int64{2, 0, 1}, "(*Account).Refund:61"},
			{"lock-order-cycle", "edge 2/2 from", "Mutex#2 at example.com/bank.Open (account.go:13)", "8", [3]int64{0, 0, 1}, "(*Account).Refund:60"},
		}},
		{"deadlock", all[1], []sampleDesc{
			{"deadlock", "waits", "Mutex#2 at example.com/bank.Open (account.go:13)", "7", [3]int64{1, 3 * sec, 1}, "(*Account).Transfer:41"},
			{"deadlock", "holds", "Mutex#1 at example.com/bank.Open (account.go:12)", "7", [3]int64{0, 0, 1}, "(*Account).Transfer:40"},
			{"deadlock", "waits", "Mutex#1 at example.com/bank.Open (account.go:12)", "8", [3]int64{1, 2 * sec, 1}, "(*Account).Refund:61"},
			{"deadlock", "holds", "Mutex#2 at example.com/bank.Open (account.go:13)", "8", [3]int64{0, 0, 1}, "(*Account).Refund:60"},
		}},
		{"blocked read", all[2], []sampleDesc{
			{"blocked-wait", "waits", "RWMutex#4 (read) at example.com/bank.NewLedger (ledger.go:9)", "12", [3]int64{1, 60 * sec, 1}, "(*Ledger).wait:100"},
		}},
		{"misuse", all[3], []sampleDesc{
			{"unlock-of-unlocked", "stack", "", "9", [3]int64{1, 0, 1}, "(*Account).Close:90"},
			{"unlock-of-unlocked", "previous unlock", "Mutex#3 at example.com/bank.Open (account.go:14)", "", [3]int64{1, 0, 1}, "(*Account).Close:88"},
		}},
		{"channel", all[4], []sampleDesc{
			{"close-of-closed", "goroutine 5", "chan#1 at example.com/bank.NewFeed (feed.go:20)", "", [3]int64{3, 0, 1}, "(*Feed).Stop:50"},
			{"close-of-closed", "first close, by goroutine 4", "chan#1 at example.com/bank.NewFeed (feed.go:20)", "", [3]int64{3, 0, 1}, "(*Feed).Stop:50"},
		}},
		{"no stacks", all[5], nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := buildProfile([]Report{tt.give})
			if err != nil {
				t.Fatalf("buildProfile(%s) = %v", tt.name, err)
			}
			if err := p.CheckValid(); err != nil {
				t.Errorf("buildProfile(%s).CheckValid() = %v, want nil", tt.name, err)
			}
			if got := describe(p); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("buildProfile(%s) samples =\n%+v\nwant\n%+v", tt.name, got, tt.want)
			}
			for _, s := range p.Sample {
				if got, want := s.Label["id"], []string{tt.give.ID}; !reflect.DeepEqual(got, want) {
					t.Errorf("buildProfile(%s) label id = %q, want %q", tt.name, got, want)
				}
			}
		})
	}
}

// realCycle is a lock-order cycle whose stacks are real: taken with
// runtime.Callers in pprofTestLockAThenB and pprofTestLockBThenA, PCs
// included.
func realCycle() Report {
	r := Report{
		Kind:    LockOrderCycle,
		Summary: "lock order cycle: Mutex#1 -> Mutex#2 -> Mutex#1",
		Time:    t0,
		Count:   1,
		Test:    "TestPprofTool",
		Edges: []Edge{
			{From: "Mutex#1", To: "Mutex#2", Goroutine: 21},
			{From: "Mutex#2", To: "Mutex#1", Goroutine: 22},
		},
		Objects: []Object{{Name: "Mutex#1", Type: "Mutex"}, {Name: "Mutex#2", Type: "Mutex"}},
	}
	r.Edges[0].FromStack, r.Edges[0].ToStack = pprofTestLockAThenB()
	r.Edges[1].FromStack, r.Edges[1].ToStack = pprofTestLockBThenA()
	r.ID = r.CauseID()
	return r
}

//go:noinline
func pprofTestLockAThenB() (from, to Stack) {
	from = callers()
	to = callers()
	return
}

//go:noinline
func pprofTestLockBThenA() (from, to Stack) {
	from = callers()
	to = callers()
	return
}

// callers returns its caller's stack, as the detector's symbolize does.
//
//go:noinline
func callers() Stack {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(2, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	var s Stack
	for {
		f, more := frames.Next()
		if f.Function == "runtime.goexit" {
			break
		}
		s = append(s, Frame{Function: f.Function, File: f.File, Line: f.Line, PC: f.PC})
		if !more {
			break
		}
	}
	return s
}

func TestProfileMapping(t *testing.T) {
	p, err := buildProfile([]Report{realCycle(), testReports()[0]})
	if err != nil {
		t.Fatal(err)
	}
	exe, _ := os.Executable()
	if len(p.Mapping) != 1 {
		t.Fatalf("buildProfile(real cycle) has %d mappings, want 1", len(p.Mapping))
	}
	m := p.Mapping[0]
	if m.File != exe || !m.HasFunctions || !m.HasFilenames || !m.HasLineNumbers {
		t.Errorf("buildProfile(real cycle).Mapping[0] = %+v, want file %s with functions, file names and lines", m, exe)
	}
	var withPC, without int
	for _, l := range p.Location {
		fn := l.Line[0].Function.Name
		switch {
		case strings.HasPrefix(fn, "example.com/"):
			without++
			if l.Address != 0 || l.Mapping != nil {
				t.Errorf("location of %s (no PC) = address %#x mapping %v, want none", fn, l.Address, l.Mapping)
			}
		case strings.Contains(fn, "pprofTestLock"):
			withPC++
			if l.Address == 0 || (runtime.GOOS == "linux" && l.Mapping != m) {
				t.Errorf("location of %s = address %#x mapping %v, want the PC in the binary's mapping", fn, l.Address, l.Mapping)
			}
		}
	}
	if withPC == 0 || without == 0 {
		t.Errorf("buildProfile(real cycle) has %d locations with PCs and %d without, want some of each", withPC, without)
	}
}

func TestParseMaps(t *testing.T) {
	maps := `00400000-00401000 r--p 00000000 08:01 1234 /usr/bin/prog
00401000-0052a000 r-xp 00001000 08:01 1234 /usr/bin/prog
7f0000000000-7f0000100000 r-xp 00000000 08:01 99 /lib/libc.so.6
7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0 [stack]
`
	tests := []struct {
		name, exe string
		want      textMapping
		ok        bool
	}{
		{"exe", "/usr/bin/prog", textMapping{0x401000, 0x52a000, 0x1000, "/usr/bin/prog"}, true},
		{"other exe", "/tmp/x", textMapping{0x401000, 0x52a000, 0x1000, "/usr/bin/prog"}, true},
		{"libc", "/lib/libc.so.6", textMapping{0x7f0000000000, 0x7f0000100000, 0, "/lib/libc.so.6"}, true},
	}
	for _, tt := range tests {
		got, ok := parseMaps([]byte(maps), tt.exe)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseMaps(maps, %q) = %+v, %v, want %+v, %v", tt.exe, got, ok, tt.want, tt.ok)
		}
	}
	if got, ok := parseMaps([]byte("garbage\n1-2 r-xp zz 0 0 /x\n"), "/x"); ok {
		t.Errorf("parseMaps(garbage) = %+v, true, want false", got)
	}
}

func TestReadProfileMerged(t *testing.T) {
	all := testReports()
	parse := func(reps []Report) *profile.Profile {
		p, err := profile.ParseData(profileBytes(t, reps))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	// Both hold the deadlock; the union has it once.
	real := realCycle()
	a := parse([]Report{all[0], all[1], real})
	b := parse([]Report{all[1], all[2], all[3]})
	m, err := profile.Merge([]*profile.Profile{a, b})
	if err != nil {
		t.Fatalf("profile.Merge(a, b) = %v", err)
	}
	if err := m.CheckValid(); err != nil {
		t.Fatalf("profile.Merge(a, b).CheckValid() = %v", err)
	}
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := ReadProfile(&buf)
	if err != nil {
		t.Fatalf("ReadProfile(merged) = %v", err)
	}
	want := []Report{all[0], all[1], real, all[2], all[3]}
	if d := diffReports(got, want); d != "" {
		t.Errorf("ReadProfile(merged) differs from the union: %s", d)
	}
	// The samples survive too: merged values are the sums.
	var reports int64
	for _, s := range m.Sample {
		reports += s.Value[0]
	}
	if want := int64(2*2 + 2 + 2 + 2 + 1 + 2); reports != want {
		t.Errorf("profile.Merge(a, b) has %d reports in all, want %d", reports, want)
	}
}

func TestReadProfileErrors(t *testing.T) {
	good := profileBytes(t, testReports())
	withComments := func(comments ...string) []byte {
		p, err := buildProfile(testReports()[:1])
		if err != nil {
			t.Fatal(err)
		}
		p.Comments = comments
		var b bytes.Buffer
		if err := p.Write(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	var raw bytes.Buffer
	p, _ := profile.ParseData(good)
	p.WriteUncompressed(&raw)

	tests := []struct {
		name string
		give []byte
		want string
	}{
		{"empty", nil, "parse profile: empty input"},
		{"truncated gzip", good[:len(good)/2], "parse profile: "},
		{"truncated proto", raw.Bytes()[:raw.Len()*2/3], "parse profile: "},
		{"garbage", []byte("\x1f\x8b\x08garbage"), "parse profile: "},
		{"cpu profile", cpuProfile(t), "check: not a gridlock profile (sample types samples/count, cpu/nanoseconds)"},
		{"no marker", withComments(), "check: not a gridlock profile"},
		{"corrupt report", withComments(profileMarker, reportComment+`{"kind":`), "decode report: report 1: "},
		{"trailing data", withComments(profileMarker, reportComment+`{"kind":"deadlock","summary":"s"} {}`), "decode report: report 1: data after"},
		{"unknown field", withComments(profileMarker, reportComment+`{"kind":"deadlock","summary":"s","x":1}`), "decode report: report 1: "},
		{"unknown kind", withComments(profileMarker, reportComment+`{"kind":"deadlock","summary":"s"}`, reportComment+`{"kind":"livelock","summary":"s"}`), "check: report 2: unknown report kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadProfile(bytes.NewReader(tt.give))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("ReadProfile(%s) = %v, want error %q...", tt.name, err, tt.want)
			}
		})
	}
}

// TestPprofTool opens a profile with the real go tool pprof.
func TestPprofTool(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go tool pprof")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go not on PATH")
	}
	path := filepath.Join(t.TempDir(), "gridlock.pb.gz")
	if err := os.WriteFile(path, profileBytes(t, []Report{realCycle(), testReports()[1]}), 0o644); err != nil {
		t.Fatal(err)
	}
	pprofOut := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(goTool, append(append([]string{"tool", "pprof"}, args...), path)...)
		cmd.Env = append(os.Environ(), "PPROF_TMPDIR="+t.TempDir(), "PPROF_BINARY_PATH="+t.TempDir())
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("go tool pprof %s: %v", strings.Join(args, " "), err)
		}
		// Labels are printed as "key:  value" in aligned columns.
		return strings.Join(strings.Fields(string(out)), " ")
	}
	names := []string{"report.pprofTestLockAThenB", "report.pprofTestLockBThenA", "report.realCycle", "report.TestPprofTool"}
	tests := []struct {
		args []string
		want []string // in the output
		drop []string // not in the output
	}{
		{[]string{"-top"}, append(slices.Clip(names), "Type: reports", "(*Account).Transfer"), nil},
		{[]string{"-traces"}, append(slices.Clip(names), "role: edge 1/2 to", "role: edge 2/2 from", "kind: lock-order-cycle", "object: Mutex#1", "goroutine: 21"), nil},
		{[]string{"-top", "-tagfocus", "kind=lock-order-cycle"}, names, []string{"(*Account).Transfer"}},
		{[]string{"-top", "-tagfocus", "kind=deadlock"}, []string{"(*Account).Transfer"}, names},
		{[]string{"-traces", "-tagfocus", "role=waits", "-tagshow", "goroutine"}, []string{"goroutine: 7", "goroutine: 8"}, append(slices.Clip(names), "role:")},
		{[]string{"-top", "-sample_index", "wait"}, []string{"Type: wait", "3s", "(*Account).Transfer"}, names},
		{[]string{"-top", "-sample_index", "stacks"}, []string{"Type: stacks", "(*Account).Transfer"}, nil},
		{[]string{"-list", "pprofTestLockAThenB"}, []string{"ROUTINE", "to = callers()"}, nil},
		{[]string{"-tags"}, []string{"kind: Total", "lock-order-cycle", "deadlock", "role: Total"}, nil},
	}
	for _, tt := range tests {
		out := pprofOut(tt.args...)
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("go tool pprof %s = %s\nwant it to contain %q", strings.Join(tt.args, " "), out, w)
			}
		}
		for _, d := range tt.drop {
			if strings.Contains(out, d) {
				t.Errorf("go tool pprof %s = %s\nwant no %q", strings.Join(tt.args, " "), out, d)
			}
		}
	}
}
