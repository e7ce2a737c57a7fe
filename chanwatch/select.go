package chanwatch

import "unsafe"

// Op is one communication of a select statement: a send or a receive on a
// channel. Build it with SendOp or RecvOp.
type Op struct {
	ch   unsafe.Pointer
	send bool
}

// RecvOp describes a receive case on ch.
func RecvOp[T any](ch <-chan T) Op { return Op{ch: chanKey(ch)} }

// SendOp describes a send case on ch.
func SendOp[T any](ch chan<- T) Op { return Op{ch: chanKey(ch), send: true} }

// Wait is a select blocked on a set of operations; see Block.
type Wait struct {
	ops []Op
}

// Block records that the calling goroutine is about to block in a select
// statement on ops (after a non-blocking attempt found no case ready). The
// caller runs the blocking select and then calls Done with the index of the
// case that fired.
func Block(ops ...Op) Wait { return Wait{} }

// Done ends the wait started by Block; fired is the index in Block's ops of
// the case that proceeded.
func (w Wait) Done(fired int) {}

// Selected records that op proceeded in a select statement that did not
// block.
func Selected(op Op) {}

func chanKey[C any](ch C) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&ch)) }

func nameChan(unsafe.Pointer, string) {}
