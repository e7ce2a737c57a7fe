package main

import (
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Program is one corpus package.
type Program struct {
	Dir      string   // absolute directory of the package
	Rel      string   // directory relative to the corpus root, e.g. resource/abba/refresher
	PkgName  string   // package clause name
	Category string   // e.g. resource/abba
	Frames   []string // corpus:frames, e.g. (*Cache).Refresh
}

// parseHeader extracts the corpus:category and corpus:frames lines of a
// package doc comment.
func parseHeader(doc string) (category string, frames []string, err error) {
	for _, line := range strings.Split(doc, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "corpus:category"):
			f := strings.Fields(strings.TrimPrefix(line, "corpus:category"))
			if len(f) != 1 {
				return "", nil, fmt.Errorf("corpus:category wants exactly one value, got %q", line)
			}
			category = f[0]
		case strings.HasPrefix(line, "corpus:frames"):
			frames = append(frames, strings.Fields(strings.TrimPrefix(line, "corpus:frames"))...)
		}
	}
	if category == "" {
		return "", nil, fmt.Errorf("missing corpus:category line")
	}
	if len(frames) == 0 {
		return "", nil, fmt.Errorf("missing corpus:frames line")
	}
	return category, frames, nil
}

// loadProgram reads doc.go of a corpus package.
func loadProgram(root, dir string) (Program, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join(dir, "doc.go"), nil, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		return Program{}, err
	}
	if f.Doc == nil {
		return Program{}, fmt.Errorf("%s/doc.go: no package doc comment", dir)
	}
	cat, frames, err := parseHeader(f.Doc.Text())
	if err != nil {
		return Program{}, fmt.Errorf("%s/doc.go: %v", dir, err)
	}
	rel, _ := filepath.Rel(root, dir)
	rel = filepath.ToSlash(rel)
	if !strings.HasPrefix(rel, cat+"/") {
		return Program{}, fmt.Errorf("%s: directory does not match corpus:category %s", rel, cat)
	}
	return Program{Dir: dir, Rel: rel, PkgName: f.Name.Name, Category: cat, Frames: frames}, nil
}

// discover finds every package under root that has a doc.go with a corpus
// header.
func discover(root string) ([]Program, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(root); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("corpus directory %s not found (run from benchmarks/ or pass -corpus)", root)
	}
	var progs []Program
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || d.Name() != "doc.go" {
			return nil
		}
		p, err := loadProgram(root, filepath.Dir(path))
		if err != nil {
			return err
		}
		progs = append(progs, p)
		return nil
	})
	sort.Slice(progs, func(i, j int) bool { return progs[i].Rel < progs[j].Rel })
	return progs, err
}

// namesFrame reports whether out names one of the frames of p, as
// "pkgname.Frame" followed by a character that cannot continue the name
// (goleak prints "pkg.(*T).M(...)", go-deadlock "pkg.(*T).M { code }").
func namesFrame(out string, p Program) bool {
	for _, fr := range p.Frames {
		needle := p.PkgName + "." + fr
		for i := 0; ; {
			k := strings.Index(out[i:], needle)
			if k < 0 {
				break
			}
			end := i + k + len(needle)
			if end == len(out) || !isNameByte(out[end]) {
				return true
			}
			i = end
		}
	}
	return false
}

func isNameByte(b byte) bool {
	return b == '.' || b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}
