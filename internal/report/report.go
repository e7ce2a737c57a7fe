// Package report is gridlock's report model: what a report says, how it is
// printed as text, written as JSON and read back from files.
package report

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"
)

// Kind names what a report is about. Kinds are stable: tools match on them.
type Kind string

// The report kinds.
const (
	LockOrderCycle   Kind = "lock-order-cycle"
	DoubleLock       Kind = "double-lock"
	RecursiveRLock   Kind = "recursive-rlock"
	Deadlock         Kind = "deadlock"
	BlockedWait      Kind = "blocked-wait"
	LeakedLock       Kind = "leaked-lock"
	LeakedWait       Kind = "leaked-wait"
	WaitGroupNeg     Kind = "waitgroup-negative"
	WaitGroupReuse   Kind = "waitgroup-reuse"
	CondWaitUnlocked Kind = "cond-wait-unlocked"
	UnlockOfUnlocked Kind = "unlock-of-unlocked"
	CopiedLock       Kind = "copied-lock"
	SendOnClosed     Kind = "send-on-closed"
	CloseOfClosed    Kind = "close-of-closed"
	CloseOfNil       Kind = "close-of-nil"
	NilChannel       Kind = "nil-channel"
	Ownership        Kind = "ownership"
	Dropped          Kind = "reports-dropped"
)

// Kinds lists every kind, in documentation order.
var Kinds = []Kind{
	LockOrderCycle, DoubleLock, RecursiveRLock, Deadlock, BlockedWait, LeakedLock, LeakedWait,
	WaitGroupNeg, WaitGroupReuse, CondWaitUnlocked, UnlockOfUnlocked, CopiedLock,
	SendOnClosed, CloseOfClosed, CloseOfNil, NilChannel, Ownership, Dropped,
}

// ValidKind reports whether k is one of Kinds.
func ValidKind(k string) bool { return slices.Contains(Kinds, Kind(k)) }

// Frame is one function call in a stack trace.
type Frame struct {
	Function string  `json:"function"`
	File     string  `json:"file"`
	Line     int     `json:"line"`
	PC       uintptr `json:"-"`
}

func (f Frame) String() string { return fmt.Sprintf("%s\n\t%s:%d", f.Function, f.File, f.Line) }

// Site is the short form of a frame: function at file:line, with the file's
// directory dropped.
func (f Frame) Site() string {
	file := f.File
	if i := strings.LastIndexByte(file, '/'); i >= 0 {
		file = file[i+1:]
	}
	return fmt.Sprintf("%s (%s:%d)", f.Function, file, f.Line)
}

// Stack is a stack trace, innermost call first.
type Stack []Frame

// Top returns the innermost frame, or the zero Frame.
func (s Stack) Top() Frame {
	if len(s) == 0 {
		return Frame{}
	}
	return s[0]
}

// Held is a lock held by a goroutine.
type Held struct {
	Object string `json:"object"`
	Mode   string `json:"mode"` // "write" or "read"
	Stack  Stack  `json:"stack"`
}

// Goroutine is one goroutine involved in a report.
type Goroutine struct {
	ID int64 `json:"id"`
	// State is "running", "blocked" or "exited" as gridlock sees it, with
	// the runtime's wait reason in brackets when known.
	State string `json:"state"`
	// WaitsFor names what the goroutine waits for ("" when it does not).
	WaitsFor string        `json:"waits_for,omitempty"`
	Waited   time.Duration `json:"waited_ns,omitempty"`
	// WaitStack is where it started to wait.
	WaitStack Stack  `json:"wait_stack,omitempty"`
	Holds     []Held `json:"holds,omitempty"`
	// Stack is its current stack (as of the report).
	Stack     Stack `json:"stack,omitempty"`
	CreatedBy Stack `json:"created_by,omitempty"`
	// Note says what the goroutine did that matters, e.g. "received from
	// ch 2 times, last 1.2s ago".
	Note string `json:"note,omitempty"`
}

// Edge is one lock-order edge: To was taken while From was held.
type Edge struct {
	From      string `json:"from"`
	To        string `json:"to"`
	Goroutine int64  `json:"goroutine"`
	// FromStack is where From was taken; ToStack where To was taken.
	FromStack Stack `json:"from_stack"`
	ToStack   Stack `json:"to_stack"`
}

// Object is a lock, WaitGroup, Cond or channel involved in a report.
type Object struct {
	Name string `json:"name"`
	Type string `json:"type"` // "Mutex", "RWMutex", "WaitGroup", "Cond", "chan"
	// Site is where it was first used (or made, for channels).
	Site string `json:"site,omitempty"`
	Len  int    `json:"len,omitempty"`
	Cap  int    `json:"cap,omitempty"`
}

// Report is one finding.
type Report struct {
	Kind Kind `json:"kind"`
	// ID identifies the cause: reports of the same cause share it.
	ID      string    `json:"id"`
	Summary string    `json:"summary"`
	Time    time.Time `json:"time"`
	// Count is how many times this cause was seen (1 for the first).
	Count int    `json:"count"`
	Test  string `json:"test,omitempty"`
	// Package is the import path of the test binary's package that made
	// the report, when it runs under VerifyTestMain or RunTests (gridlock
	// test adds one): the package whose tests failed, which may not be the
	// one named in the stacks.
	Package string `json:"package,omitempty"`
	// Wait is the longest wait involved, for blocked waits and deadlocks.
	Wait       time.Duration `json:"wait_ns,omitempty"`
	Goroutines []Goroutine   `json:"goroutines,omitempty"`
	Edges      []Edge        `json:"edges,omitempty"`
	Objects    []Object      `json:"objects,omitempty"`
	// Stacks holds further labelled stacks, such as "previous unlock" or
	// "first close".
	Stacks []Labelled `json:"stacks,omitempty"`
	// Notes are plain sentences, e.g. that "could unblock" is inferred.
	Notes []string `json:"notes,omitempty"`
}

// Labelled is a stack with a label saying what it is.
type Labelled struct {
	Label string `json:"label"`
	Stack Stack  `json:"stack"`
}

// AllStacks returns every stack of r: the edges' from and to stacks, each
// goroutine's wait stack, current stack, creator and held locks, and the
// labelled stacks.
func (r *Report) AllStacks() []Stack {
	var out []Stack
	for _, e := range r.Edges {
		out = append(out, e.FromStack, e.ToStack)
	}
	for _, g := range r.Goroutines {
		out = append(out, g.WaitStack, g.Stack, g.CreatedBy)
		for _, h := range g.Holds {
			out = append(out, h.Stack)
		}
	}
	for _, l := range r.Stacks {
		out = append(out, l.Stack)
	}
	return out
}

// Key returns the deduplication key of r: reports with the same kind and the
// same call sites have the same key, whatever the instances involved.
func (r *Report) Key() string {
	if r.ID != "" {
		return string(r.Kind) + ":" + r.ID
	}
	return string(r.Kind) + ":" + r.CauseID()
}

// labelRole returns what a stack label says the stack is ("first close,
// by goroutine ", "goroutine " for a peer), without what varies from run
// to run or between goroutines that leak alike: everything from its first
// digit on (goroutine ids, channel numbers, counts, how long ago).
func labelRole(label string) string {
	if i := strings.IndexAny(label, "0123456789"); i >= 0 {
		return label[:i]
	}
	return label
}

// CauseID computes an identifier from the report's kind and the call sites
// it names, not the goroutine ids or addresses, which differ from run to run,
// nor the order in which a cycle happened to be entered.
func (r *Report) CauseID() string {
	var parts []string
	site := func(prefix string, s Stack) {
		var b strings.Builder
		b.WriteString(prefix)
		for i, f := range s {
			if i == 4 {
				break
			}
			fmt.Fprintf(&b, "|%s:%d", f.Function, f.Line)
		}
		parts = append(parts, b.String())
	}
	for _, e := range r.Edges {
		// An edge is where the held lock was taken and where the next one
		// was, each with its caller: the same two sites reached from
		// different tests are the same cause.
		site("edge", append(slices.Clip(e.FromStack[:min(2, len(e.FromStack))]), e.ToStack[:min(2, len(e.ToStack))]...))
	}
	if len(r.Edges) == 0 {
		for _, g := range r.Goroutines {
			site("wait", g.WaitStack)
			for _, hd := range g.Holds {
				site("hold", hd.Stack)
			}
		}
		for _, l := range r.Stacks {
			site(labelRole(l.Label), l.Stack)
		}
	}
	// The same site twice (two peers that sent from one line) says no more
	// than once: leaks alike with more or fewer peers are one cause.
	slices.Sort(parts)
	parts = slices.Compact(parts)
	h := fnv.New64a()
	fmt.Fprint(h, r.Kind)
	for _, p := range parts {
		fmt.Fprint(h, "\n", p)
	}
	return fmt.Sprintf("%016x", h.Sum64())
}
