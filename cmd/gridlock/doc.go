// Command gridlock runs Go tests with gridlock's deadlock detector and
// prints what it found.
//
// Usage:
//
//	gridlock test [flags] [packages] [-- go test flags]
//	gridlock rewrite [-w] [-o DIR] [flags] [packages]
//	gridlock report show [-json] FILE...
//	gridlock report merge -o OUT FILE...
//	gridlock report dot FILE...
//	gridlock version
//
// # gridlock test
//
// gridlock test runs go test on the packages with gridlock enabled, without
// changing a file of the user's tree: the instrumented sources reach the
// compiler through go test -overlay.
//
// In the instrumented packages every "sync" import (test files included)
// becomes gridlock's detect package under the same local name, and channel
// operations (sends, receives, close, range over a channel, select) call
// package chanwatch, with Go's evaluation order and semantics kept. Where
// the tests have no TestMain one is added that calls detect.VerifyTestMain;
// in a user's TestMain, m.Run() becomes detect.RunTests(m). Generated code
// keeps user code on its original lines (with /*line*/ directives where it
// must), so stack traces point into the original files.
//
// The module under test does not need to require gridlock, and its go.mod
// and go.sum are not edited: go test gets -modfile pointing at a temporary
// copy that requires gridlock, replaced by the gridlock module directory,
// and gridlock's own requirements, with gridlock's go.sum lines added. The
// gridlock module directory is, in order: the -gridlock-module flag, the
// GRIDLOCK_MODULE environment variable, the module this binary was built
// from (the source path recorded in the binary; not available with
// -trimpath), or what "go list -m github.com/gridlock-go/gridlock" says in
// the current directory. When the module under test is gridlock or already
// requires it, its go.mod is used as is.
//
// Flags:
//
//	-wait-timeout d   report a goroutine blocked this long (default 10s); it is
//	                  lowered to a quarter of go test's -timeout when that is
//	                  shorter than four times it
//	-fatal kinds      report kinds, joined with +, after which a test binary
//	                  exits with status 3 (default deadlock+blocked-wait; empty:
//	                  never); after a blocked-wait, once no goroutine is left
//	                  running, runnable, sleeping or waiting for I/O and no
//	                  tracked wait begins or ends for a second, or once the
//	                  wait has lasted three wait timeouts with the tracked
//	                  waits unchanged (a long wait while the rest of the
//	                  tests still run is reported, not a hang)
//	-instrument s     named: only the packages given; module (default): also
//	                  the packages of the main module they import; all-non-std:
//	                  every package outside the standard library
//	-profile file     write one pprof profile merged from the test binaries'
//	-cache=false      do not reuse instrumented sources from the cache
//	-gridlock-module dir
//	                  the gridlock module to build with
//	-chans=false      leave channel operations alone
//	-sync=false       leave "sync" alone
//	-work             keep the temporary directory and print its name
//
// The go test flags -race, -v, -run, -skip, -count, -timeout, -short,
// -failfast, -bench, -benchtime, -benchmem, -cpu, -parallel, -shuffle, -tags,
// -cover, -coverprofile, -covermode, -coverpkg, -json, -x, -p, -o, -exec,
// -vet, -fullpath, -ldflags, -gcflags, -trimpath, -msan, -asan and the
// profiling flags may be given before or after the packages; everything
// after -- goes to go test unchanged.
//
// The test binaries run with
//
//	GRIDLOCK=on,timeout=<wait timeout>,file=<tmp>/reports-%p.jsonl,profile=<tmp>/profile-%p.pb.gz,fatal=<kinds>
//
// go test's output streams through as it comes. Afterwards gridlock reads
// every report file, prints each report once (reports with the same cause,
// by report.Key, from several binaries are merged and their counts summed),
// then a line per package ("ok", "FAIL" or "?" for no test files, with its
// number of reports; a report is attributed to the tested package whose
// functions appear in its stacks) and a total.
//
// Exit status: 0 when the tests pass with no report, 1 when tests fail with
// no report, 3 when there was any report, 2 for usage errors (bad flags,
// packages that do not exist, files that do not parse).
//
// The instrumented sources are cached under os.UserCacheDir()/gridlock/overlay,
// keyed by a hash of the input files' paths and contents, the other modules'
// versions, the build flags and the gridlock build; entries unused for a
// week are removed.
//
// # gridlock rewrite
//
// gridlock rewrite prints the instrumented source of the packages' files
// (gofmt-ed, as "-- path --" sections), or writes it over the files (-w) or
// under a directory (-o DIR), for users who want the switch permanent. By
// default it rewrites the named packages, test files included, without
// adding TestMain (-testmain adds it); -raw prints the source exactly as
// gridlock test compiles it.
//
// # gridlock report
//
// report show prints the reports of JSON-lines report files (as text, or
// as JSON lines with -json), deduplicated. report merge merges pprof
// profiles. report dot prints the lock-order graph of the lock-order-cycle
// reports as Graphviz DOT: a node per lock, an edge per "taken while held"
// pair, labelled with the acquisition sites.
package main
