package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

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
	writeDot(stdout, set.list)
	return nil
}

func writeDot(w io.Writer, reps []*report.Report) {
	type edgeKey struct{ from, to string }
	labels := map[edgeKey][]string{}
	nodes := map[string]bool{}
	var order []edgeKey
	for _, r := range reps {
		if r.Kind != report.LockOrderCycle {
			continue
		}
		for _, e := range r.Edges {
			k := edgeKey{e.From, e.To}
			nodes[e.From], nodes[e.To] = true, true
			if _, ok := labels[k]; !ok {
				order = append(order, k)
			}
			label := fmt.Sprintf("%s → %s", e.FromStack.Top().Site(), e.ToStack.Top().Site())
			if !contains(labels[k], label) {
				labels[k] = append(labels[k], label)
			}
		}
	}
	fmt.Fprintln(w, "digraph lockorder {")
	fmt.Fprintln(w, "\tnode [shape=box];")
	var names []string
	for n := range nodes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "\t%q;\n", n)
	}
	for _, k := range order {
		fmt.Fprintf(w, "\t%q -> %q [label=%q];\n", k.from, k.to, strings.Join(labels[k], "\n"))
	}
	fmt.Fprintln(w, "}")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var _ = os.Stdout
