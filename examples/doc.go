// Package examples holds one runnable program per bug pattern gridlock
// catches, each with its fixed twin (run it with -fixed). Every program has
// TestBug and TestFixed; TestBug hangs or leaks under plain go test and is
// skipped there. Run them all under the detector with
//
//	go run ./cmd/gridlock test ./examples/...
//
// examples_test.go does that and checks each report's kind and frames.
package examples
