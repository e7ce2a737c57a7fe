package main

import (
	"fmt"
	"go/format"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gridlock-go/gridlock/internal/rewrite"
)

func runRewrite(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("rewrite", "gridlock rewrite [-w] [-o DIR] [flags] [packages]", stderr)
	write := fs.Bool("w", false, "write the instrumented source over the original files")
	outDir := fs.String("o", "", "write the instrumented files under `DIR`, at their paths relative to the current directory")
	chans := fs.Bool("chans", true, "rewrite channel operations to chanwatch")
	sync := fs.Bool("sync", true, `switch "sync" imports to gridlock's detect package`)
	testMain := fs.Bool("testmain", false, "make tests verify gridlock's reports (TestMain)")
	instrument := fs.String("instrument", "named", "which packages to rewrite: named, module or all-non-std")
	raw := fs.Bool("raw", false, "print the source exactly as gridlock test compiles it: line-preserving layout with /*line*/ directives, not gofmt-ed")
	tags := fs.String("tags", "", "build `tags` to consider, as for go build")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *write && *outDir != "" {
		return usageError("rewrite: -w and -o are exclusive: give one of them, or neither to print to stdout")
	}
	scope, err := rewrite.ParseScope(*instrument)
	if err != nil {
		return usageError("rewrite: %v", err)
	}
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	opts := rewrite.Options{
		Mode:     rewrite.Mode{Sync: *sync, Chans: *chans, TestMain: *testMain, LineDirectives: *raw},
		Go:       rewrite.GoCmd{Dir: wd},
		Patterns: fs.Args(),
		Scope:    scope,
	}
	if *tags != "" {
		opts.Go.Flags = append(opts.Go.Flags, "-tags="+*tags)
	}
	plan, err := rewrite.Load(opts)
	if err != nil {
		return loadError(err)
	}
	res, err := plan.Rewrite()
	if err != nil {
		return loadError(err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, "gridlock: warning:", w)
	}
	for _, f := range res.Files {
		src := f.Src
		if !*raw {
			if b, err := format.Source(src); err == nil {
				src = b
			}
		}
		rel, err := filepath.Rel(wd, f.Path)
		if err != nil || strings.HasPrefix(rel, "..") {
			rel = f.Path
		}
		switch {
		case *write:
			if err := os.WriteFile(f.Path, src, 0o644); err != nil {
				return err
			}
			fmt.Fprintln(stderr, "wrote", rel)
		case *outDir != "":
			dst := filepath.Join(*outDir, rel)
			if filepath.IsAbs(rel) {
				dst = filepath.Join(*outDir, strings.TrimPrefix(filepath.ToSlash(rel), "/"))
			}
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(dst, src, 0o644); err != nil {
				return err
			}
		default:
			fmt.Fprintf(stdout, "-- %s --\n", filepath.ToSlash(rel))
			stdout.Write(src)
		}
	}
	return nil
}

// loadError turns the rewriter's input errors into usage errors (exit 2).
func loadError(err error) error {
	if rewrite.IsLoadError(err) {
		return &exitError{code: 2, msg: err.Error()}
	}
	return err
}
