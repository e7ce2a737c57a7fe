package report

import (
	"bytes"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// dotReports are testReports plus a cycle of three locks whose names need
// quoting.
func dotReports() []Report {
	odd := Report{
		Kind:    LockOrderCycle,
		Summary: "lock order cycle of three",
		Time:    t0,
		Count:   1,
		Edges: []Edge{
			{From: `A"quoted"`, To: `B\back`, Goroutine: 1, FromStack: stack(frame("a", 1)), ToStack: stack(frame("a", 2))},
			{From: `B\back`, To: "C\nnewline", Goroutine: 2, FromStack: stack(frame("b", 1)), ToStack: stack(frame("b", 2))},
			{From: "C\nnewline", To: `A"quoted"`, Goroutine: 3, FromStack: nil, ToStack: stack(frame("c", 2))},
		},
	}
	odd.ID = odd.CauseID()
	return append(testReports(), odd)
}

func dotString(t *testing.T, reps []Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteDOT(&b, reps); err != nil {
		t.Fatalf("WriteDOT(...) = %v, want nil", err)
	}
	return b.String()
}

func TestWriteDOTGolden(t *testing.T) {
	got := dotString(t, dotReports())
	golden(t, "graph.dot.golden", []byte(got))
}

func TestWriteDOT(t *testing.T) {
	all := testReports()
	tests := []struct {
		name string
		give []Report
		want []string // lines in the output
		drop []string // text not in the output
	}{
		{"empty", nil, []string{"digraph gridlock {", "}"}, []string{"->"}},
		{"cycle", all[:1], []string{
			`"lock Mutex#1" [shape=box, label="Mutex#1\nMutex\nfirst used at example.com/bank.Open (account.go:12)"];`,
			`"lock Mutex#1" -> "lock Mutex#2" [label="example.com/bank.(*Account).Transfer (account.go:40)\nthen example.com/bank.(*Account).Transfer (account.go:41)", color="red", fontcolor="red", penwidth=2, tooltip="lock-order-cycle ` + all[0].ID + `"];`,
		}, []string{"goroutine"}},
		{"deadlock", all[1:2], []string{
			`"goroutine 7" [shape=ellipse, label="goroutine 7\nblocked [sync.Mutex.Lock]"];`,
			`"goroutine 7" -> "lock Mutex#2" [label="waits at example.com/bank.(*Account).Transfer (account.go:41)", style=dashed, color="red", fontcolor="red", penwidth=2, tooltip="deadlock ` + all[1].ID + `"];`,
			`"lock Mutex#1" -> "goroutine 7" [label="held by, taken at example.com/bank.(*Account).Transfer (account.go:40)", color="red", fontcolor="red", penwidth=2, tooltip="deadlock ` + all[1].ID + `"];`,
		}, nil},
		{"not drawn", all[2:], []string{"digraph gridlock {"}, []string{"->", "RWMutex", "chan#1"}},
		{"quoting", dotReports()[6:], []string{
			`"lock A\"quoted\"" -> "lock B\\back" [label="example.com/bank.a (account.go:1)\nthen example.com/bank.a (account.go:2)", color="red", fontcolor="red", penwidth=2, tooltip="lock-order-cycle ` + dotReports()[6].ID + `"];`,
			`"lock C\nnewline" [shape=box, label="C\nnewline"];`,
			`"lock C\nnewline" -> "lock A\"quoted\"" [label="(no stack)\nthen example.com/bank.c (account.go:2)", color="red", fontcolor="red", penwidth=2, tooltip="lock-order-cycle ` + dotReports()[6].ID + `"];`,
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := dotString(t, tt.give)
			lines := strings.Split(got, "\n")
			for _, w := range tt.want {
				if !slices.Contains(lines, "\t"+w) && !slices.Contains(lines, w) {
					t.Errorf("WriteDOT(%s) = \n%s\nwant a line %s", tt.name, got, w)
				}
			}
			for _, d := range tt.drop {
				if strings.Contains(got, d) {
					t.Errorf("WriteDOT(%s) = \n%s\nwant no %q", tt.name, got, d)
				}
			}
		})
	}
}

func TestWriteDOTDeterministic(t *testing.T) {
	reps := dotReports()
	want := dotString(t, reps)
	for range 5 {
		if got := dotString(t, reps); got != want {
			t.Fatalf("WriteDOT(reports) = \n%s\nwant the same as before:\n%s", got, want)
		}
	}
	slices.Reverse(reps)
	if got := dotString(t, reps); got != want {
		t.Errorf("WriteDOT(reversed reports) = \n%s\nwant the same as in order:\n%s", got, want)
	}
}

// TestWriteDOTRenders checks that Graphviz accepts the output.
func TestWriteDOTRenders(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("dot (Graphviz) not on PATH")
	}
	cmd := exec.Command(dot, "-Tsvg")
	cmd.Stdin = strings.NewReader(dotString(t, dotReports()))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("dot -Tsvg = %v, stderr %s", err, stderr.String())
	}
	svg := string(out)
	for _, want := range []string{"<svg", "Mutex#1", "goroutine 7", "first used at example.com/bank.Open (account.go:12)", `A&quot;quoted&quot;`} {
		if !strings.Contains(svg, want) {
			t.Errorf("dot -Tsvg = %.200s..., want it to contain %q", svg, want)
		}
	}
}
