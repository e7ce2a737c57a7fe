package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/pprof/profile"
)

// readStages are the prefixes of Read's errors.
var readStages = []string{"read: line ", "parse json: line ", "check: ", "parse profile: ", "decode report: "}

// FuzzRead feeds bytes to Read: it must not panic, its errors must name a
// stage, and what it accepts must survive WriteProfile and ReadProfile.
// The seed corpus is in testdata/fuzz/FuzzRead (go test -run
// TestFuzzCorpus -update rewrites it).
func FuzzRead(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		reps, err := Read(bytes.NewReader(data))
		if err != nil {
			for _, s := range readStages {
				if strings.HasPrefix(err.Error(), s) {
					return
				}
			}
			t.Fatalf("Read(%q) = %v, want an error prefixed by a stage", data, err)
		}
		for i := range reps {
			if err := reps[i].Check(); err != nil {
				t.Fatalf("Read(%q) = report %d that does not check: %v", data, i, err)
			}
		}
		var b bytes.Buffer
		if err := WriteProfile(&b, reps); err != nil {
			t.Fatalf("WriteProfile(Read(%q)) = %v", data, err)
		}
		got, err := ReadProfile(&b)
		if err != nil {
			t.Fatalf("ReadProfile(WriteProfile(Read(%q))) = %v", data, err)
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(reps)
		if len(reps) == 0 {
			w = []byte("null")
		}
		if !bytes.Equal(g, w) {
			t.Fatalf("ReadProfile(WriteProfile(Read(%q))) = %s, want %s", data, g, w)
		}
	})
}

// fuzzSeeds are the seed inputs of FuzzRead.
func fuzzSeeds(t *testing.T) map[string][]byte {
	reps := testReports()
	var jsonl bytes.Buffer
	for i := range reps {
		WriteJSON(&jsonl, &reps[i])
	}
	prof := profileBytes(t, reps)
	p, err := profile.ParseData(prof)
	if err != nil {
		t.Fatal(err)
	}
	var raw bytes.Buffer
	p.WriteUncompressed(&raw)
	a, _ := profile.ParseData(profileBytes(t, reps[:2]))
	b, _ := profile.ParseData(profileBytes(t, reps[1:4]))
	m, err := profile.Merge([]*profile.Profile{a, b})
	if err != nil {
		t.Fatal(err)
	}
	var merged bytes.Buffer
	m.Write(&merged)
	return map[string][]byte{
		"jsonl":               jsonl.Bytes(),
		"jsonl-truncated":     jsonl.Bytes()[:jsonl.Len()/2],
		"jsonl-unknown-kind":  []byte(`{"kind":"livelock","summary":"s"}` + "\n"),
		"profile":             prof,
		"profile-truncated":   prof[:len(prof)/2],
		"profile-raw":         raw.Bytes(),
		"profile-raw-trimmed": raw.Bytes()[:raw.Len()-7],
		"profile-merged":      merged.Bytes(),
		"cpu-profile":         cpuProfile(t),
		"empty":               nil,
	}
}

// TestFuzzCorpus checks that the committed seed corpus of FuzzRead has
// every seed, or rewrites it with -update.
func TestFuzzCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzRead")
	for name, data := range fuzzSeeds(t) {
		path := filepath.Join(dir, name)
		if *update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			content := fmt.Sprintf("go test fuzz v1\n[]byte(%s)\n", strconv.Quote(string(data)))
			if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("seed %s: %v (go test -run TestFuzzCorpus -update writes it)", name, err)
		}
	}
}
