package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
)

// MaxFrames is how many frames of one stack the text form prints; the rest
// are counted.
const MaxFrames = 24

// WriteText writes r in the readable multi-line form: a header line starting
// with "gridlock: <kind>", then each edge or goroutine with indented frames.
func WriteText(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "gridlock: %s: %s", r.Kind, r.Summary)
	if r.Count > 1 {
		fmt.Fprintf(bw, " (seen %d times)", r.Count)
	}
	bw.WriteString("\n")
	switch {
	case r.Test != "" && r.Package != "":
		fmt.Fprintf(bw, "  test: %s (%s)\n", r.Test, r.Package)
	case r.Test != "":
		fmt.Fprintf(bw, "  test: %s\n", r.Test)
	case r.Package != "":
		fmt.Fprintf(bw, "  test binary: %s\n", r.Package)
	}
	fmt.Fprintf(bw, "  id: %s\n", r.ID)
	for i, e := range r.Edges {
		fmt.Fprintf(bw, "  edge %d: %s -> %s (goroutine %d)\n", i+1, e.From, e.To, e.Goroutine)
		fmt.Fprintf(bw, "    %s was taken at:\n", e.From)
		writeStack(bw, e.FromStack, "      ")
		fmt.Fprintf(bw, "    then %s was taken at:\n", e.To)
		writeStack(bw, e.ToStack, "      ")
	}
	for _, g := range r.Goroutines {
		fmt.Fprintf(bw, "  goroutine %d [%s]", g.ID, g.State)
		if g.WaitsFor != "" {
			fmt.Fprintf(bw, " waits for %s", g.WaitsFor)
			if g.Waited > 0 {
				fmt.Fprintf(bw, " for %s", g.Waited.Round(time.Millisecond))
			}
		}
		bw.WriteString("\n")
		if g.Note != "" {
			fmt.Fprintf(bw, "    %s\n", g.Note)
		}
		if len(g.WaitStack) > 0 {
			bw.WriteString("    started to wait at:\n")
			writeStack(bw, g.WaitStack, "      ")
		}
		for _, h := range g.Holds {
			fmt.Fprintf(bw, "    holds %s (%s), taken at:\n", h.Object, h.Mode)
			writeStack(bw, h.Stack, "      ")
		}
		if len(g.Stack) > 0 {
			bw.WriteString("    current stack:\n")
			writeStack(bw, g.Stack, "      ")
		}
		if len(g.CreatedBy) > 0 {
			bw.WriteString("    created by:\n")
			writeStack(bw, g.CreatedBy, "      ")
		}
	}
	for _, l := range r.Stacks {
		fmt.Fprintf(bw, "  %s:\n", l.Label)
		writeStack(bw, l.Stack, "    ")
	}
	for _, o := range r.Objects {
		fmt.Fprintf(bw, "  %s %s", o.Type, o.Name)
		if o.Site != "" {
			fmt.Fprintf(bw, " first used at %s", o.Site)
		}
		if o.Type == "chan" {
			fmt.Fprintf(bw, " len=%d cap=%d", o.Len, o.Cap)
		}
		bw.WriteString("\n")
	}
	for _, n := range r.Notes {
		fmt.Fprintf(bw, "  note: %s\n", n)
	}
	return bw.Flush()
}

// writeStack prints frames, collapsing runs of a repeated frame (deep
// recursion) and cutting after MaxFrames.
func writeStack(w *bufio.Writer, s Stack, indent string) {
	if len(s) == 0 {
		fmt.Fprintf(w, "%s(no stack recorded)\n", indent)
		return
	}
	printed := 0
	for i := 0; i < len(s); i++ {
		if printed == MaxFrames {
			fmt.Fprintf(w, "%s... %d more frames\n", indent, len(s)-i)
			return
		}
		f := s[i]
		j := i + 1
		for j < len(s) && s[j].Function == f.Function && s[j].File == f.File && s[j].Line == f.Line {
			j++
		}
		fmt.Fprintf(w, "%s%s\n%s    %s:%d\n", indent, f.Function, indent, f.File, f.Line)
		printed++
		if j-i > 1 {
			fmt.Fprintf(w, "%s... same frame repeated %d more times\n", indent, j-i-1)
			i = j - 1
		}
	}
}

// Text returns WriteText's output as a string.
func Text(r *Report) string {
	var b strings.Builder
	WriteText(&b, r)
	return b.String()
}
