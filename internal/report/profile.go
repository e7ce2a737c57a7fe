package report

// Reports as a pprof profile.
//
// WriteProfile turns reports into a profile that go tool pprof opens: one
// sample per stack involved in a report, labelled so that -tagfocus,
// -tagignore, -tagshow and -tags select and group reports.
//
// Sample types (DefaultSampleType is "reports"):
//
//	reports/count      on the main stacks of a report (each lock-order edge
//	                   where To was taken, each goroutine's wait, each
//	                   labelled stack): Report.Count, how many times the
//	                   cause was seen. A report with n such stacks adds
//	                   to n of them.
//	wait/nanoseconds   on the stack where a goroutine waits: Goroutine.Waited,
//	                   or Report.Wait when the goroutine does not say.
//	stacks/count       1 on every sample, including the secondary stacks
//	                   that carry 0 reports: where the From lock of an
//	                   edge was taken ("edge i/n from") and where a
//	                   goroutine took the locks it holds ("holds").
//
// So "go tool pprof -top" ranks the places named by reports,
// "-sample_index=wait" where goroutines are stuck and for how long, and
// "-sample_index=stacks" adds the acquisitions of the locks held.
//
// Sample labels (strings; empty ones are left out):
//
//	kind       the report kind, e.g. "lock-order-cycle"
//	id         the report id (Report.ID, or CauseID when empty)
//	goroutine  the goroutine id
//	object     the lock or channel concerned (its name, else its site)
//	test       the test that was running
//	role       what the stack is: "edge 1/2 to", "edge 1/2 from", "waits",
//	           "holds", "stack" (a goroutine that does not wait) or the
//	           label of a Report.Stacks entry ("previous unlock", ...)
//
// Frames with a PC (those the detector symbolized itself) become Locations
// at that address in a Mapping of the running executable, read from
// /proc/self/maps, with HasFunctions and the other Has* flags set so that
// pprof does not try to symbolize them again. Frames without a PC (parsed
// from goroutine dumps, or read back from a file) become Locations without
// address or mapping. Either way each Location has one Line naming the
// function, file and line, which is all -top, -traces, -list and -http need.
//
// The reports themselves are stored as profile comments, one per report:
// "#gridlock report v1 " followed by the report's JSON (as WriteJSON writes
// it, without the newline), after a marker comment "#gridlock profile v1".
// Comments starting with "#" are not shown in pprof's report headers (see
// "go tool pprof -comments"), are kept by profile.Merge as the union of the
// inputs' comments without duplicates, and unlike a label they do not
// clutter -traces and -tags. So ReadProfile on the merge of several
// gridlock profiles (go tool pprof -proto a.pb.gz b.pb.gz) returns the
// union of their reports, identical reports once. Comments are not
// filtered by -focus or -tagfocus: a filtered profile still holds every
// report.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/google/pprof/profile"
)

const (
	profileMarker = "#gridlock profile v1"
	reportComment = "#gridlock report v1 "
	profileDocURL = "https://pkg.go.dev/github.com/gridlock-go/gridlock"
)

// profileSampleTypes are the sample types of a gridlock profile, in order.
var profileSampleTypes = [...]profile.ValueType{
	{Type: "reports", Unit: "count"},
	{Type: "wait", Unit: "nanoseconds"},
	{Type: "stacks", Unit: "count"},
}

// WriteProfile writes reps as a gzipped pprof profile (see the top of this
// file for its layout).
func WriteProfile(w io.Writer, reps []Report) error {
	p, err := buildProfile(reps)
	if err != nil {
		return err
	}
	if err := p.Write(w); err != nil {
		return fmt.Errorf("write profile: %w", err)
	}
	return nil
}

// buildProfile builds the profile WriteProfile writes.
func buildProfile(reps []Report) (*profile.Profile, error) {
	b := newProfileBuilder()
	for i := range reps {
		if err := b.add(&reps[i]); err != nil {
			return nil, err
		}
	}
	if err := b.p.CheckValid(); err != nil {
		return nil, fmt.Errorf("build profile: %w", err)
	}
	return b.p, nil
}

type profileBuilder struct {
	p       *profile.Profile
	binary  *profile.Mapping // created with the first frame that has a PC
	locs    map[locKey]*profile.Location
	funcs   map[[2]string]*profile.Function
	earlier int64
}

type locKey struct {
	pc   uintptr
	fn   string
	file string
	line int
}

func newProfileBuilder() *profileBuilder {
	p := &profile.Profile{
		PeriodType:        &profile.ValueType{Type: "reports", Unit: "count"},
		Period:            1,
		DefaultSampleType: "reports",
		Comments:          []string{profileMarker},
		DocURL:            profileDocURL,
	}
	for _, st := range profileSampleTypes {
		p.SampleType = append(p.SampleType, &profile.ValueType{Type: st.Type, Unit: st.Unit})
	}
	return &profileBuilder{
		p:     p,
		locs:  make(map[locKey]*profile.Location),
		funcs: make(map[[2]string]*profile.Function),
	}
}

func (b *profileBuilder) add(r *Report) error {
	js, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("build profile: encode report: %w", err)
	}
	b.p.Comments = append(b.p.Comments, reportComment+string(js))
	if !r.Time.IsZero() {
		if t := r.Time.UnixNano(); b.p.TimeNanos == 0 || t < b.p.TimeNanos {
			b.p.TimeNanos = t
		}
	}
	id := r.ID
	if id == "" {
		id = r.CauseID()
	}
	count := int64(max(r.Count, 1))
	base := map[string]string{"kind": string(r.Kind), "id": id, "test": r.Test}
	sample := func(s Stack, role, object string, g int64, reports, wait int64) {
		if len(s) == 0 {
			return
		}
		labels := make(map[string][]string, 6)
		for k, v := range base {
			if v != "" {
				labels[k] = []string{v}
			}
		}
		labels["role"] = []string{role}
		if object != "" {
			labels["object"] = []string{object}
		}
		if g != 0 {
			labels["goroutine"] = []string{strconv.FormatInt(g, 10)}
		}
		b.p.Sample = append(b.p.Sample, &profile.Sample{
			Location: b.locations(s),
			Value:    []int64{reports, wait, 1},
			Label:    labels,
		})
	}
	n := len(r.Edges)
	for i, e := range r.Edges {
		edge := fmt.Sprintf("edge %d/%d", i+1, n)
		sample(e.ToStack, edge+" to", objectLabel(r, e.To), e.Goroutine, count, int64(r.Wait))
		sample(e.FromStack, edge+" from", objectLabel(r, e.From), e.Goroutine, 0, 0)
	}
	for _, g := range r.Goroutines {
		wait := int64(g.Waited)
		if wait == 0 {
			wait = int64(r.Wait)
		}
		role := "stack"
		if g.WaitsFor != "" || len(g.WaitStack) > 0 {
			role = "waits"
		} else {
			wait = 0
		}
		s := g.WaitStack
		if len(s) == 0 {
			s = g.Stack
		}
		sample(s, role, objectLabel(r, g.WaitsFor), g.ID, count, wait)
		for _, h := range g.Holds {
			sample(h.Stack, "holds", objectLabel(r, h.Object), g.ID, 0, 0)
		}
	}
	var object string
	if len(r.Objects) > 0 {
		if object = objectLabel(r, r.Objects[0].Name); object == "" {
			object = r.Objects[0].Site
		}
	}
	for _, l := range r.Stacks {
		sample(l.Stack, l.Label, object, 0, count, 0)
	}
	return nil
}

// objectLabel returns name (a lock name, or what a goroutine waits for,
// such as "RWMutex#2 (read)" or "WaitGroup#1.Wait") followed by where the
// object was first used when the report knows it: "Mutex#3 at
// main.newServer (server.go:41)".
func objectLabel(r *Report, name string) string {
	if name == "" {
		return ""
	}
	if o, ok := findObject(r, name); ok && o.Site != "" {
		return name + " at " + o.Site
	}
	return name
}

// findObject returns the object that name refers to: the object of that
// name, or the one name starts with followed by " " or ".".
func findObject(r *Report, name string) (Object, bool) {
	for _, o := range r.Objects {
		if o.Name == name {
			return o, true
		}
	}
	for _, o := range r.Objects {
		if o.Name != "" && strings.HasPrefix(name, o.Name) && len(name) > len(o.Name) && (name[len(o.Name)] == ' ' || name[len(o.Name)] == '.') {
			return o, true
		}
	}
	return Object{}, false
}

func (b *profileBuilder) locations(s Stack) []*profile.Location {
	out := make([]*profile.Location, 0, len(s))
	for _, f := range s {
		k := locKey{f.PC, f.Function, f.File, f.Line}
		loc := b.locs[k]
		if loc == nil {
			loc = &profile.Location{
				ID:   uint64(len(b.p.Location) + 1),
				Line: []profile.Line{{Function: b.function(f), Line: int64(f.Line)}},
			}
			if f.PC != 0 {
				loc.Address = uint64(f.PC)
				loc.Mapping = b.mapping(f.PC)
			}
			b.locs[k] = loc
			b.p.Location = append(b.p.Location, loc)
		}
		out = append(out, loc)
	}
	return out
}

func (b *profileBuilder) function(f Frame) *profile.Function {
	k := [2]string{f.Function, f.File}
	fn := b.funcs[k]
	if fn == nil {
		fn = &profile.Function{
			ID:         uint64(len(b.p.Function) + 1),
			Name:       f.Function,
			SystemName: f.Function,
			Filename:   f.File,
		}
		b.funcs[k] = fn
		b.p.Function = append(b.p.Function, fn)
	}
	return fn
}

// mapping returns the mapping of the running executable if pc is in it,
// or nil.
func (b *profileBuilder) mapping(pc uintptr) *profile.Mapping {
	if b.binary == nil {
		m := binaryText()
		b.binary = &profile.Mapping{
			ID:              1,
			Start:           m.start,
			Limit:           m.limit,
			Offset:          m.offset,
			File:            m.file,
			HasFunctions:    true,
			HasFilenames:    true,
			HasLineNumbers:  true,
			HasInlineFrames: true,
		}
		b.p.Mapping = append(b.p.Mapping, b.binary)
	}
	m := b.binary
	if m.Start == 0 && m.Limit == 0 || uint64(pc) >= m.Start && uint64(pc) < m.Limit {
		// A mapping of zero size stands for the whole executable when
		// the memory map is unknown, as in runtime/pprof.
		return m
	}
	return nil
}

type textMapping struct {
	start, limit, offset uint64
	file                 string
}

// binaryText finds the executable's text in /proc/self/maps; without it,
// it returns a mapping of zero size named after the executable.
var binaryText = sync.OnceValue(func() textMapping {
	exe, _ := os.Executable()
	m := textMapping{file: exe}
	data, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return m
	}
	if t, ok := parseMaps(data, exe); ok {
		return t
	}
	return m
})

// parseMaps returns the first executable mapping of file exe in a
// /proc/self/maps listing, or else the first executable mapping of a file.
func parseMaps(data []byte, exe string) (textMapping, bool) {
	var first textMapping
	found := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		// 00400000-0052a000 r-xp 00000000 08:01 1234   /path/to/exe
		f := strings.Fields(sc.Text())
		if len(f) < 6 || !strings.Contains(f[1], "x") || !strings.HasPrefix(f[5], "/") {
			continue
		}
		lo, hi, ok := strings.Cut(f[0], "-")
		start, err1 := strconv.ParseUint(lo, 16, 64)
		limit, err2 := strconv.ParseUint(hi, 16, 64)
		offset, err3 := strconv.ParseUint(f[2], 16, 64)
		if !ok || err1 != nil || err2 != nil || err3 != nil {
			continue
		}
		file := strings.Join(f[5:], " ")
		file = strings.TrimSuffix(file, " (deleted)")
		t := textMapping{start: start, limit: limit, offset: offset, file: file}
		if file == exe {
			return t, true
		}
		if !found {
			first, found = t, true
		}
	}
	return first, found
}

// ReadProfile reads the reports stored in a gridlock pprof profile, or in
// a merge of such profiles, in the order of the profile's comments. Errors
// are prefixed by the stage that failed: "parse profile" (not a profile,
// or a damaged one), "check" (a profile, but not gridlock's, or a report
// that does not check) or "decode report" (a damaged report).
func ReadProfile(r io.Reader) (reps []Report, err error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("parse profile: %w", err)
	}
	p, err := parseProfile(data)
	if err != nil {
		return nil, fmt.Errorf("parse profile: %w", err)
	}
	if err := checkGridlockProfile(p); err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	n := 0
	for _, c := range p.Comments {
		js, ok := strings.CutPrefix(c, reportComment)
		if !ok {
			continue
		}
		n++
		rep, stage, err := decodeReport([]byte(js))
		if err != nil {
			if stage == "" {
				stage = "decode report"
			}
			return reps, fmt.Errorf("%s: report %d: %w", stage, n, err)
		}
		reps = append(reps, rep)
	}
	return reps, nil
}

// parseProfile is profile.ParseData, made safe against panics on hostile
// input.
func parseProfile(data []byte) (p *profile.Profile, err error) {
	defer func() {
		if e := recover(); e != nil {
			p, err = nil, fmt.Errorf("malformed profile: %v", e)
		}
	}()
	if len(data) == 0 {
		return nil, errors.New("empty input")
	}
	return profile.ParseData(data)
}

func checkGridlockProfile(p *profile.Profile) error {
	var types []string
	for _, st := range p.SampleType {
		types = append(types, st.Type+"/"+st.Unit)
	}
	ours := len(p.SampleType) == len(profileSampleTypes)
	for i := 0; ours && i < len(profileSampleTypes); i++ {
		ours = p.SampleType[i].Type == profileSampleTypes[i].Type && p.SampleType[i].Unit == profileSampleTypes[i].Unit
	}
	if !ours || !slices.Contains(p.Comments, profileMarker) {
		return fmt.Errorf("not a gridlock profile (sample types %s)", strings.Join(types, ", "))
	}
	return p.CheckValid()
}
