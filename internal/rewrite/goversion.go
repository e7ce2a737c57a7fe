package rewrite

import (
	"bytes"
	"fmt"
	"go/build/constraint"
	"go/version"
	"slices"
	"strings"
)

// pinGoVersion returns src, the source of the file at path, with its
// language version set to lang (such as "go1.16") through its //go:build
// line, and whether it changed it.
//
// Requiring gridlock raises the go line of the module under test to
// gridlock's, and with it the language version its files are compiled and
// vetted with: per-iteration loop variables from go1.22, vet's printf checks
// from go1.24. A //go:build line that implies an older version sets the
// file's version back (to go1.21 at the oldest, as the compiler allows); a
// file whose constraint already implies a version keeps it (the go line
// does not set its version).
// Lines keep their numbers: an existing //go:build line gets the version
// ANDed in place, a file with legacy // +build lines only gets the
// //go:build line in place of the first (the others become empty comments,
// which vet's check of +build lines against //go:build wants), and a file
// with neither gets two lines first, the constraint and a //line comment
// that numbers the original first line 1.
// fileHeader is where go/build finds a file's constraints: //go:build
// lines anywhere before the package clause, // +build lines only before
// the blank line that precedes it.
type fileHeader struct {
	lines   [][]byte // the file's lines, with their ends
	goBuild int      // the first //go:build line, or -1
	plus    []int    // the legacy build lines
	end     int      // legacy build lines count only above this one
	pkgLine int      // the line of the package clause, or -1
	pkgOff  int      // its offset in that line
	lineDir bool     // the header has a line directive of its own
}

func readHeader(src []byte) fileHeader {
	h := fileHeader{lines: bytes.SplitAfter(src, []byte("\n")), goBuild: -1, pkgLine: -1}
	ended, inSlashStar := false, false
Lines:
	for i, l := range h.lines {
		t := bytes.TrimSpace(l)
		if i == 0 {
			t = bytes.TrimPrefix(t, []byte("\xef\xbb\xbf")) // a byte order mark
		}
		if bytes.HasPrefix(t, []byte("//line ")) || bytes.Contains(t, []byte("/*line ")) {
			h.lineDir = true
		}
		if len(t) == 0 && !ended {
			h.end = i
			continue
		}
		if !bytes.HasPrefix(t, []byte("//")) {
			ended = true
		}
		if !inSlashStar {
			switch s := string(t); {
			case constraint.IsGoBuild(s) && h.goBuild < 0:
				h.goBuild = i
			case constraint.IsPlusBuild(s):
				h.plus = append(h.plus, i)
			}
		}
		for len(t) > 0 {
			switch {
			case inSlashStar:
				j := bytes.Index(t, []byte("*/"))
				if j < 0 {
					continue Lines
				}
				inSlashStar, t = false, bytes.TrimSpace(t[j+2:])
			case bytes.HasPrefix(t, []byte("//")):
				continue Lines
			case bytes.HasPrefix(t, []byte("/*")):
				inSlashStar, t = true, bytes.TrimSpace(t[2:])
			default:
				h.pkgLine, h.pkgOff = i, len(bytes.TrimRight(l, " \t\r\n"))-len(t)
				break Lines // the package clause
			}
		}
	}
	return h
}

// anchor puts before the package clause of lines (a file's, as h read it)
// a /*line*/ comment naming path and the clause's own line and column:
// the compiler's messages about an overlay's file then name the file, not
// the overlay's copy.
func (h fileHeader) anchor(lines [][]byte, path string) {
	if h.pkgLine >= 0 && !h.lineDir { // a generated file's own directive stands
		l := lines[h.pkgLine]
		lines[h.pkgLine] = slices.Concat(l[:h.pkgOff], []byte(fmt.Sprintf("/*line %s:%d:%d*/", path, h.pkgLine+1, h.pkgOff+1)), l[h.pkgOff:])
	}
}

// anchorPackage is src with the /*line*/ comment of fileHeader.anchor.
func anchorPackage(src []byte, path string) []byte {
	h := readHeader(src)
	lines := slices.Clone(h.lines)
	h.anchor(lines, path)
	return bytes.Join(lines, nil)
}

func pinGoVersion(src []byte, path, lang string) ([]byte, bool) {
	h := readHeader(src)
	lines, goBuild, plus, end := h.lines, h.goBuild, h.plus, h.end
	var plusExpr constraint.Expr
	var valid []int
	for _, i := range plus {
		x, err := constraint.Parse(string(bytes.TrimSpace(lines[i])))
		if err != nil || i >= end {
			continue
		}
		valid = append(valid, i)
		if plusExpr == nil {
			plusExpr = x
		} else {
			plusExpr = &constraint.AndExpr{X: plusExpr, Y: x}
		}
	}
	plus = valid
	pin := &constraint.TagExpr{Tag: lang}
	var out [][]byte
	switch {
	case goBuild >= 0:
		x, err := constraint.Parse(string(bytes.TrimSpace(lines[goBuild])))
		if err != nil {
			return src, false // the go command reports it
		}
		if constraint.GoVersion(x) != "" {
			return src, false // the file says its version: the go line does not set it
		}
		out = append(out, lines...)
		out[goBuild] = constraintLine(&constraint.AndExpr{X: x, Y: pin}, lines[goBuild])
		for _, i := range plus {
			out[i] = emptyComment(lines[i])
		}
		h.anchor(out, path)
	case plusExpr != nil:
		out = append(out, lines...)
		out[plus[0]] = constraintLine(&constraint.AndExpr{X: plusExpr, Y: pin}, lines[plus[0]])
		for _, i := range plus[1:] {
			out[i] = emptyComment(lines[i])
		}
		h.anchor(out, path)
	default:
		// After a byte order mark, which must stay first; the //line
		// comment gives the column too, or columns would be lost.
		bom := []byte{}
		if rest, ok := bytes.CutPrefix(lines[0], []byte("\xef\xbb\xbf")); ok {
			bom, lines[0] = []byte("\xef\xbb\xbf"), rest
		}
		out = append(out, append(bom, "//go:build "+lang+"\n"...), []byte("//line "+path+":1:1\n"))
		out = append(out, lines...)
	}
	return bytes.Join(out, nil), true
}

// constraintLine is the //go:build line of x, ending as old did.
func constraintLine(x constraint.Expr, old []byte) []byte {
	return append([]byte("//go:build "+x.String()), lineEnd(old)...)
}

// emptyComment is an empty line comment in place of old.
func emptyComment(old []byte) []byte { return append([]byte("//"), lineEnd(old)...) }

func lineEnd(l []byte) []byte {
	if bytes.HasSuffix(l, []byte("\r\n")) {
		return []byte("\r\n")
	}
	if bytes.HasSuffix(l, []byte("\n")) {
		return []byte("\n")
	}
	return nil
}

// langVersion returns the language version of a go.mod go line ("1.21.0"
// gives "go1.21"), or "" if it is not one.
func langVersion(goLine string) string {
	if v := version.Lang("go" + goLine); strings.HasPrefix(v, "go1.") {
		return v
	}
	return ""
}
