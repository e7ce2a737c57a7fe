// Package rewrite instruments Go packages for gridlock: it switches "sync"
// imports to gridlock's detect package and rewrites channel operations to
// package chanwatch, and builds the go build -overlay that gridlock test
// compiles the result with.
//
// Packages are listed with go list (-deps -test, -export for the
// dependencies' export data) and type-checked with go/types; the rewrite
// is textual: each changed construct is replaced by new text built from the
// (recursively rewritten) text of its operands, so comments, layout and
// line numbers of user code stay as they were.
//
// Rewrites, with T named only where inference would not do:
//
//	ch <- v               chanwatch.Send(ch, v)   (Send[T] when v's type is not T)
//	<-ch                  chanwatch.Recv(ch)
//	v, ok := <-ch         v, ok := chanwatch.Recv2(ch)   (also =, var)
//
// except that a send or receive standing alone as a statement of a
// statement list (ch <- v, <-ch, v = <-ch, v, ok := <-ch with plain
// identifiers, return <-ch, for v := range ch) becomes a select of one case in the user's function (see
// stmt.go), so that a goroutine blocked on it has that function on top of
// its stack, as without gridlock. The other rewrites:
//
//	close(ch)             chanwatch.Close(ch)     (the builtin only)
//	defer close(ch)       defer chanwatch.DeferClose(ch)()   (the closer is known from the defer on)
//	for v := range ch     for v := range chanwatch.Range(ch)   (go1.23+ files)
//	select {...}          see selectStmt
//	select {}             chanwatch.Block(); select {}
//
// A select evaluates its operands into temporaries in source order, tries
// a non-blocking select with the same cases (reporting chanwatch.Selected),
// else announces chanwatch.Block, runs the blocking select and calls Done;
// then a switch on the chosen case runs the original assignment and body.
// Generated identifiers start with a prefix ("_gl", longer if the file
// already has identifiers starting with it). Where a type cannot be named
// at the point of use the construct stays native, with a warning.
//
// In a function that defers a literal calling recover, ch <- v becomes
// chanwatch.SendRecovered(ch, v) and close(ch) chanwatch.CloseRecovered(ch),
// and a select's send cases are not checked: their panic on a closed
// channel may be caught on purpose ("send unless closed").
package rewrite
