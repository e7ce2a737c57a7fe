package main

import (
	"fmt"
	"io"

	"github.com/gridlock-go/gridlock/internal/report"
)

const reportUsage = `usage:
	gridlock report show [-json] FILE...    print the reports of report files
	gridlock report merge -o OUT FILE...    merge pprof profiles into OUT
	gridlock report dot FILE...             print the lock-order graph of the reported cycles as DOT
`

func runReport(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, reportUsage)
		return usageError("no report command given: accepted are show, merge, dot")
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "show":
		return reportShow(rest, stdout, stderr)
	case "merge":
		return reportMerge(rest, stdout, stderr)
	case "dot":
		return reportDot(rest, stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, reportUsage)
		return nil
	default:
		fmt.Fprint(stderr, reportUsage)
		return usageError("unknown report command %q: accepted are show, merge, dot", cmd)
	}
}

// readReportFiles reads and deduplicates the reports of files; a file that
// cannot be read or parsed is a usage error naming it.
func readReportFiles(cmd string, files []string) (*reportSet, error) {
	if len(files) == 0 {
		return nil, usageError("report %s: no report files given: give one or more JSON-lines files written by GRIDLOCK=file=...", cmd)
	}
	set := &reportSet{}
	for _, f := range files {
		reps, err := report.ReadFile(f)
		if err != nil {
			return nil, usageError("report %s: %s: %v", cmd, f, err)
		}
		set.files++
		for _, r := range reps {
			set.add(r)
		}
	}
	return set, nil
}

func reportShow(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("report show", "gridlock report show [-json] FILE...", stderr)
	asJSON := fs.Bool("json", false, "print the reports as JSON lines")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	set, err := readReportFiles("show", fs.Args())
	if err != nil {
		return err
	}
	for i, r := range set.list {
		if *asJSON {
			report.WriteJSON(stdout, r)
			continue
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		report.WriteText(stdout, r)
	}
	return nil
}

func reportMerge(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("report merge", "gridlock report merge -o OUT FILE...", stderr)
	out := fs.String("o", "", "write the merged profile to `file`")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError("report merge: -o OUT is required: the file to write the merged profile to")
	}
	if fs.NArg() == 0 {
		return usageError("report merge: no profiles given: give the pprof files to merge")
	}
	if err := mergeProfiles(*out, fs.Args()); err != nil {
		return usageError("report merge: %v", err)
	}
	return nil
}

// reportDot prints the lock-order graph around the reported cycles: nodes
// are locks, edges "To taken while From held", labelled with the sites.
func reportDot(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("report dot", "gridlock report dot FILE...", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	set, err := readReportFiles("dot", fs.Args())
	if err != nil {
		return err
	}
	reps := make([]report.Report, len(set.list))
	for i, r := range set.list {
		reps[i] = *r
	}
	return report.WriteDOT(stdout, reps)
}
