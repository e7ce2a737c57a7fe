package rewrite

import (
	"cmp"
	"fmt"
	"go/token"
	"slices"
	"strings"
)

// An edit replaces the source bytes [start, end) by what gen returns. Edits
// nest like the syntax tree: gen builds its text from the text of the
// sub-ranges it keeps (editor.text), which applies the edits inside them.
type edit struct {
	start, end int
	gen        func() string
}

type editor struct {
	src    []byte
	edits  []edit
	sorted bool
}

func (e *editor) add(start, end int, gen func() string) {
	e.edits = append(e.edits, edit{start, end, gen})
	e.sorted = false
}

// text returns the source in [start, end) with the outermost edits inside
// it applied.
func (e *editor) text(start, end int) string {
	if !e.sorted {
		slices.SortStableFunc(e.edits, func(a, b edit) int {
			if a.start != b.start {
				return cmp.Compare(a.start, b.start)
			}
			return cmp.Compare(b.end, a.end)
		})
		e.sorted = true
	}
	var b strings.Builder
	cur := start
	i, _ := slices.BinarySearchFunc(e.edits, start, func(ed edit, s int) int { return cmp.Compare(ed.start, s) })
	for ; i < len(e.edits) && e.edits[i].start < end; i++ {
		ed := e.edits[i]
		if ed.start < cur || ed.end > end {
			continue
		}
		b.Write(e.src[cur:ed.start])
		b.WriteString(ed.gen())
		cur = ed.end
	}
	b.Write(e.src[cur:end])
	return b.String()
}

// lineWriter builds replacement text for a construct that starts at a known
// original position and, when directives are on, inserts /*line*/ comments
// where the generated text would otherwise put user code on another line
// than in the original file.
type lineWriter struct {
	b          strings.Builder
	fset       *token.FileSet
	directives bool
	base       int // original line the current output line maps to
	nl         int // newlines written since base was set
}

func newLineWriter(fset *token.FileSet, start token.Pos, directives bool) *lineWriter {
	return &lineWriter{fset: fset, directives: directives, base: fset.Position(start).Line}
}

func (w *lineWriter) WriteString(s string) {
	w.b.WriteString(s)
	w.nl += strings.Count(s, "\n")
}

// sync makes the next byte written map to pos's line.
func (w *lineWriter) sync(pos token.Pos) {
	p := w.fset.Position(pos)
	if !w.directives || w.base+w.nl == p.Line {
		return
	}
	fmt.Fprintf(&w.b, "/*line %s:%d:%d*/", p.Filename, p.Line, p.Column)
	w.base, w.nl = p.Line, 0
}

func (w *lineWriter) String() string { return w.b.String() }

func (w *lineWriter) Write(p []byte) (int, error) {
	w.WriteString(string(p))
	return len(p), nil
}
