package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	os.Exit(exitCode(err, os.Stderr))
}

// exitError is an error with the process exit status it calls for.
type exitError struct {
	code int
	msg  string // printed to stderr when not empty
}

func (e *exitError) Error() string {
	if e.msg == "" {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.msg
}

// usageError is a command-line mistake: exit status 2.
func usageError(format string, args ...any) error {
	return &exitError{code: 2, msg: fmt.Sprintf(format, args...)}
}

// exitCode prints err (if it has something to say) and returns the exit
// status for it.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, "gridlock: "+ee.msg)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "gridlock: "+err.Error())
	return 1
}

const usage = `gridlock finds deadlocks at run time.

Usage:

	gridlock test [flags] [packages] [-- go test flags]
	gridlock rewrite [-w] [-o DIR] [packages]
	gridlock report show [-json] FILE...
	gridlock report merge -o OUT FILE...
	gridlock report dot FILE...
	gridlock version

Run "gridlock help <command>" or "gridlock <command> -h" for the flags.
`

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError("no command given: accepted commands are test, rewrite, report, version, help")
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "test":
		return runTest(rest, stdout, stderr)
	case "rewrite":
		return runRewrite(rest, stdout, stderr)
	case "report":
		return runReport(rest, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "gridlock", version())
		return nil
	case "help", "-h", "-help", "--help":
		if len(rest) > 0 {
			return run([]string{rest[0], "-h"}, stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return usageError("unknown command %q: accepted commands are test, rewrite, report, version, help", cmd)
	}
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; -h gives exit status 0 after the usage, other
// flag errors a usage error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return &exitError{code: 0}
	}
	if err != nil {
		return usageError("%s: %v", fs.Name(), strings.TrimSpace(err.Error()))
	}
	return nil
}
