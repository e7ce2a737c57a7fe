package chanwatch_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"
	"unsafe"

	"github.com/gridlock-go/gridlock/chanwatch"
	"github.com/gridlock-go/gridlock/detect"
)

func start(t *testing.T, opts ...detect.Option) func() []detect.Report {
	t.Helper()
	d := detect.New(append([]detect.Option{detect.WithLog(detect.LogOff), detect.WithTimeout(150 * time.Millisecond)}, opts...)...)
	stop := d.Start()
	t.Cleanup(func() {
		stop()
		d.Close()
	})
	return d.Reports
}

func kinds(reps []detect.Report) []detect.Kind {
	var out []detect.Kind
	for _, r := range reps {
		out = append(out, r.Kind)
	}
	return out
}

func names(s detect.Stack, fn string) bool {
	for _, f := range s {
		if strings.HasSuffix(f.Function, fn) {
			return true
		}
	}
	return false
}

// notWaitingIn returns those of fns in whose frames no goroutine of r
// waits.
func notWaitingIn(r detect.Report, fns ...string) []string {
	return slices.DeleteFunc(fns, func(fn string) bool {
		return slices.ContainsFunc(r.Goroutines, func(g detect.Goroutine) bool { return names(g.WaitStack, fn) })
	})
}

func waitFor(t *testing.T, reports func() []detect.Report, want detect.Kind) detect.Report {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		for _, r := range reports() {
			if r.Kind == want {
				return r
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("reports = %v, want a %s", kinds(reports()), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func quiet(t *testing.T, reports func() []detect.Report, settle time.Duration) {
	t.Helper()
	time.Sleep(settle)
	if r := reports(); len(r) != 0 {
		for _, x := range r {
			t.Log(detect.WriteText(logw{t}, &x))
		}
		t.Fatalf("reports = %v, want none", kinds(r))
	}
}

// awaitBlocked waits until a goroutine is parked with the runtime's wait
// reason state (e.g. "chan send") and fn on its stack: a sleep does not make
// sure of it on a loaded machine.
func awaitBlocked(t *testing.T, fn, state string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		for _, g := range strings.Split(string(buf), "\n\n") {
			header, body, _ := strings.Cut(g, "\n")
			if strings.Contains(header, "["+state) && strings.Contains(body, fn+"(") {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no goroutine parked in %s with %s on its stack after 10s", state, fn)
		}
	}
}

type logw struct{ t *testing.T }

func (l logw) Write(p []byte) (int, error) { l.t.Log(string(p)); return len(p), nil }

// producer sends results until ctx is done; the bug: it does not select on
// ctx.Done() around the send.
//
//go:noinline
func producer(ctx context.Context, out chan<- int, fixed bool) {
	for i := 0; ; i++ {
		if fixed {
			select {
			case out <- i:
			case <-ctx.Done():
				return
			}
			continue
		}
		chanwatch.Send(out, i) // blocks for good once the consumer has gone
	}
}

//go:noinline
func consumeUntilCancel(ctx context.Context, cancel func(), in <-chan int) {
	for v := range chanwatch.Range(in) {
		if v == 3 {
			cancel()
			return
		}
	}
}

func TestSendLeftBlockedAfterCancel(t *testing.T) {
	reports := start(t)
	ctx, cancel := context.WithCancel(context.Background())
	ch := chanwatch.Make[int](0, "results")
	go producer(ctx, ch, false)
	consumeUntilCancel(ctx, cancel, ch)
	r := waitFor(t, reports, detect.KindBlockedWait)
	g := r.Goroutines[0]
	if !names(g.WaitStack, "producer") || g.WaitsFor != "send on chan results" {
		t.Errorf("waiter = %q at %v, want send on chan results in producer", g.WaitsFor, g.WaitStack)
	}
	found := false
	for _, s := range r.Stacks {
		if names(s.Stack, "consumeUntilCancel") && strings.Contains(s.Label, "received from chan results") {
			found = true
		}
	}
	if !found {
		t.Errorf("stacks = %+v, want the receiver's last receive in consumeUntilCancel", r.Stacks)
	}
	cancel()
}

// sender sends n values and returns early on error without closing.
//
//go:noinline
func sender(out chan<- int, n int, fail bool) {
	for i := 0; i < n; i++ {
		if fail && i == 2 {
			return
		}
		chanwatch.Send(out, i)
	}
	chanwatch.Close(out)
}

//go:noinline
func receiveAll(in <-chan int) int {
	sum := 0
	for v := range chanwatch.Range(in) {
		sum += v
	}
	return sum
}

func TestRecvFromSenderThatReturned(t *testing.T) {
	reports := start(t)
	ch := make(chan int)
	go sender(ch, 5, true)
	go receiveAll(ch)
	r := waitFor(t, reports, detect.KindBlockedWait)
	if !names(r.Goroutines[0].WaitStack, "receiveAll") {
		t.Errorf("waiter at %v, want receiveAll", r.Goroutines[0].WaitStack)
	}
	exited := false
	for _, g := range r.Goroutines[1:] {
		if g.State == "exited" {
			exited = true
		}
	}
	if !exited {
		t.Errorf("goroutines = %+v, want the sender marked exited", r.Goroutines)
	}
	// The sender's history says so too (the registry still has its
	// state: only a goroutine dump tells it has exited).
	var labels []string
	for _, l := range r.Stacks {
		if strings.Contains(l.Label, "sent on") {
			labels = append(labels, l.Label)
			if !strings.Contains(l.Label, "(exited)") || !names(l.Stack, "sender") {
				t.Errorf("history %q at %v, want the sender marked (exited), at sender", l.Label, l.Stack)
			}
		}
	}
	if len(labels) != 1 {
		t.Errorf("stacks = %+v, want one sender's history", r.Stacks)
	}
	chanwatch.Close(ch)
}

//go:noinline
func sendHeader(out chan<- int) { chanwatch.Send(out, 0) }

//go:noinline
func sendBody(out chan<- int) { chanwatch.Send(out, 1) }

// TestHistoryNamesLastSendSite: a sender that sent from one function, then
// from another, then returned; the receiver's report shows where it sent
// last.
func TestHistoryNamesLastSendSite(t *testing.T) {
	reports := start(t)
	ch := make(chan int)
	go func() {
		sendHeader(ch)
		sendBody(ch)
	}()
	go receiveAll(ch)
	r := waitFor(t, reports, detect.KindBlockedWait)
	var found bool
	for _, l := range r.Stacks {
		if strings.Contains(l.Label, "sent on") {
			found = true
			if !names(l.Stack, "sendBody") || names(l.Stack, "sendHeader") {
				t.Errorf("history %q at %v, want the last send, in sendBody", l.Label, l.Stack)
			}
			if !strings.Contains(l.Label, "2 time(s)") {
				t.Errorf("history %q, want 2 sends", l.Label)
			}
		}
	}
	if !found {
		t.Errorf("stacks = %+v, want the sender's history", r.Stacks)
	}
	chanwatch.Close(ch)
}

func TestSenderThatClosesIsSilent(t *testing.T) {
	reports := start(t)
	ch := make(chan int)
	go sender(ch, 5, false)
	if got := receiveAll(ch); got != 10 {
		t.Fatalf("receiveAll = %d, want 10", got)
	}
	quiet(t, reports, 250*time.Millisecond)
}

func TestProducerWithSelectIsSilent(t *testing.T) {
	reports := start(t)
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan int)
	done := make(chan bool)
	go func() { producer(ctx, ch, true); close(done) }()
	consumeUntilCancel(ctx, cancel, ch)
	<-done
	quiet(t, reports, 250*time.Millisecond)
}

//go:noinline
func closeTwice(ch chan int) {
	defer func() { recover() }()
	chanwatch.Close(ch)
	chanwatch.Close(ch)
}

func TestCloseOfClosed(t *testing.T) {
	reports := start(t)
	closeTwice(make(chan int))
	r := waitFor(t, reports, detect.KindCloseOfClosed)
	if len(r.Stacks) != 2 || !names(r.Stacks[0].Stack, "closeTwice") || !names(r.Stacks[1].Stack, "closeTwice") {
		t.Errorf("stacks = %+v, want both closes in closeTwice", r.Stacks)
	}
}

//go:noinline
func sendAfterClose(ch chan int) (panicked bool) {
	defer func() { panicked = recover() != nil }()
	chanwatch.Close(ch)
	chanwatch.Send(ch, 1)
	return false
}

func TestSendOnClosed(t *testing.T) {
	reports := start(t)
	if !sendAfterClose(make(chan int, 1)) {
		t.Fatal("send on closed channel did not panic")
	}
	r := waitFor(t, reports, detect.KindSendOnClosed)
	if !names(r.Stacks[0].Stack, "sendAfterClose") || !strings.HasPrefix(r.Stacks[1].Label, "closed by goroutine") {
		t.Errorf("stacks = %+v", r.Stacks)
	}
}

// stmtSendAfterClose is a rewritten send statement on a closed channel.
//
//go:noinline
func stmtSendAfterClose(ch chan int) (panicked bool) {
	chanwatch.Close(ch)
	defer func() { panicked = recover() != nil }()
	c, x := ch, 1
	s := chanwatch.SendStmt(c)
	select {
	case c <- x:
	default:
		w := s.Block()
		c <- x
		w.End()
	}
	return false
}

// stmtRecvNil is a rewritten receive statement on a nil channel; it is not
// run past Block.
//
//go:noinline
func stmtRecvNil() {
	var c chan int
	s := chanwatch.RecvStmt(c)
	select {
	case <-c:
	default:
		w := s.Block()
		w.End() // the receive would block forever
	}
}

// TestStmt: the statements the rewriter writes report as the calls do:
// send-on-closed before the panic, nil-channel at the block, and a
// statement that neither blocks nor misbehaves reports nothing.
func TestStmt(t *testing.T) {
	tests := []struct {
		give string
		run  func(t *testing.T)
		want detect.Kind // "" for none
		fn   string
	}{
		{"send on closed", func(t *testing.T) {
			if !stmtSendAfterClose(make(chan int, 1)) {
				t.Fatal("send on closed channel did not panic")
			}
		}, detect.KindSendOnClosed, "stmtSendAfterClose"},
		{"receive on nil", func(*testing.T) { stmtRecvNil() }, detect.KindNilChannel, "stmtRecvNil"},
		{"buffered", func(t *testing.T) {
			ch := make(chan int, 1)
			chanwatch.SendStmt(ch) // its try succeeds: no Block
			select {
			case ch <- 1:
			default:
				t.Fatal("a buffered send with room did not proceed")
			}
			r := chanwatch.RecvStmt(ch)
			select {
			case <-ch:
			default:
				w := r.Block()
				<-ch
				w.End()
			}
		}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			reports := start(t)
			tt.run(t)
			if tt.want == "" {
				quiet(t, reports, 0)
				return
			}
			r := waitFor(t, reports, tt.want)
			found := false
			for _, l := range r.Stacks {
				found = found || names(l.Stack, tt.fn)
			}
			for _, g := range r.Goroutines {
				found = found || names(g.Stack, tt.fn)
			}
			if !found {
				t.Errorf("%s report names no %s: %+v", tt.want, tt.fn, r.Stacks)
			}
		})
	}
}

func TestCloseOnceIsSilent(t *testing.T) {
	reports := start(t)
	ch := make(chan int, 1)
	chanwatch.Send(ch, 1)
	chanwatch.Close(ch)
	if v, ok := chanwatch.Recv2(ch); v != 1 || !ok {
		t.Fatalf("Recv2 = %v, %v, want 1, true", v, ok)
	}
	if _, ok := chanwatch.Recv2(ch); ok {
		t.Fatal("Recv2 on closed drained channel: ok = true")
	}
	quiet(t, reports, 0)
}

func TestNilChannel(t *testing.T) {
	reports := start(t)
	var ch chan int
	go chanwatch.Send(ch, 1)
	waitFor(t, reports, detect.KindNilChannel)
}

// TestNilChannelStatement: a receive or send statement under gridlock test
// is a select of one case (see Block); on a nil channel it blocks forever,
// reported as nil-channel. A select with one live channel is not.
func TestNilChannelStatement(t *testing.T) {
	tests := []struct {
		give string
		ops  func(nilc, live chan int) []chanwatch.Op
		want bool
	}{
		{"receive", func(n, _ chan int) []chanwatch.Op { return []chanwatch.Op{chanwatch.RecvOp(n)} }, true},
		{"send", func(n, _ chan int) []chanwatch.Op { return []chanwatch.Op{chanwatch.SendOp(n)} }, true},
		{"two nil", func(n, _ chan int) []chanwatch.Op { return []chanwatch.Op{chanwatch.RecvOp(n), chanwatch.SendOp(n)} }, true},
		{"one live", func(n, l chan int) []chanwatch.Op { return []chanwatch.Op{chanwatch.RecvOp(n), chanwatch.RecvOp(l)} }, false},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			reports := start(t)
			var nilc chan int
			live := make(chan int)
			w := chanwatch.Block(tt.ops(nilc, live)...)
			w.Done(-1) // the select is not run: only the announcement is tested
			got := false
			for _, r := range reports() {
				if r.Kind == detect.KindNilChannel {
					got = true
					if !strings.Contains(r.Summary, tt.give) && tt.give != "two nil" {
						t.Errorf("summary %q, want it to name the %s", r.Summary, tt.give)
					}
				}
			}
			if got != tt.want {
				t.Errorf("Block(%s) nil-channel reported = %v, want %v; reports %v", tt.give, got, tt.want, kinds(reports()))
			}
		})
	}
}

// sendUntilClosed is a rewritten send statement (Block, the native send,
// Done) whose channel is closed while it blocks: the send panics, the
// panic is recovered, and Done never runs.
//
//go:noinline
func sendUntilClosed(ch chan int, done chan<- any) {
	defer func() {
		r := recover()
		time.Sleep(400 * time.Millisecond) // still in this function, not in the send
		done <- r
	}()
	w := chanwatch.Block(chanwatch.SendOp(ch))
	ch <- 1
	w.Done(0)
}

// sendCallUntilClosed is sendUntilClosed with chanwatch.Send, whose wait
// a panic leaves published too.
//
//go:noinline
func sendCallUntilClosed(ch chan int, done chan<- any) {
	defer func() {
		r := recover()
		time.Sleep(400 * time.Millisecond) // still in this function, not in the send
		done <- r
	}()
	chanwatch.Send(ch, 1)
}

// TestSendPanickedOnCloseIsSilent: the wait left published by that send is
// on a closed channel; it is neither blocked nor part of a deadlock.
func TestSendPanickedOnCloseIsSilent(t *testing.T) {
	if raceEnabled {
		t.Skip("a close while a send blocks on the channel is a data race to the race detector")
	}
	tests := []struct {
		name string
		give func(ch chan int, done chan<- any)
		fn   string
	}{
		{"statement", sendUntilClosed, "sendUntilClosed"},
		{"Send", sendCallUntilClosed, "sendCallUntilClosed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reports := start(t)
			ch := make(chan int)
			done := make(chan any)
			go tt.give(ch, done)
			// Close once the send blocks: its wait, before the close, is
			// then far shorter than the timeout (a sleep here could last
			// longer than that).
			awaitBlocked(t, "chanwatch_test."+tt.fn, "chan send")
			chanwatch.Close(ch)
			if r := <-done; r == nil {
				t.Fatal("the send did not panic")
			}
			// No report about the sender (others' leftover goroutines may
			// report).
			for _, r := range reports() {
				for _, g := range r.Goroutines {
					if names(g.WaitStack, tt.fn) || names(g.Stack, tt.fn) {
						detect.WriteText(logw{t}, &r)
						t.Errorf("%s report about the sender whose send panicked", r.Kind)
					}
				}
			}
		})
	}
}

func TestCloseOfNil(t *testing.T) {
	reports := start(t)
	func() {
		defer func() { recover() }()
		var ch chan int
		chanwatch.Close(ch)
	}()
	waitFor(t, reports, detect.KindCloseOfNil)
}

func TestOwnershipSingleReceiver(t *testing.T) {
	reports := start(t)
	ch := make(chan int, 4)
	chanwatch.Own(ch, chanwatch.SingleReceiver)
	chanwatch.Send(ch, 1)
	chanwatch.Send(ch, 2)
	chanwatch.Recv(ch)
	done := make(chan bool)
	go func() { chanwatch.Recv(ch); done <- true }()
	<-done
	r := waitFor(t, reports, detect.KindOwnership)
	if len(r.Stacks) != 2 {
		t.Errorf("stacks = %d, want both goroutines", len(r.Stacks))
	}
}

func TestOwnershipKeptIsSilent(t *testing.T) {
	reports := start(t)
	ch := make(chan int, 4)
	chanwatch.Own(ch, chanwatch.SingleReceiver, chanwatch.SendersClose)
	done := make(chan bool)
	go func() {
		for i := 0; i < 3; i++ {
			chanwatch.Send(ch, i)
		}
		chanwatch.Close(ch)
	}()
	go func() {
		for range chanwatch.Range(ch) {
		}
		done <- true
	}()
	<-done
	quiet(t, reports, 0)
}

func TestSelectBlockedWait(t *testing.T) {
	reports := start(t)
	a, b := make(chan int), make(chan string)
	go func() {
		i := -1
		var r0 int
		select {
		case r0 = <-a:
			i = 0
		case <-b:
			i = 1
		default:
		}
		if i < 0 {
			w := chanwatch.Block(chanwatch.RecvOp(a), chanwatch.RecvOp(b))
			select {
			case r0 = <-a:
				i = 0
			case <-b:
				i = 1
			}
			w.Done(i)
		}
		_ = r0
	}()
	r := waitFor(t, reports, detect.KindBlockedWait)
	if !strings.HasPrefix(r.Goroutines[0].WaitsFor, "select {") {
		t.Errorf("waits for %q, want a select", r.Goroutines[0].WaitsFor)
	}
	a <- 1
}

// TestChannelRecordsAreCollected: a channel that is garbage collected frees
// its record.
func TestChannelRecordsAreCollected(t *testing.T) {
	d := detect.New(detect.WithLog(detect.LogOff))
	stop := d.Start()
	defer func() { stop(); d.Close() }()
	func() {
		for i := 0; i < 1000; i++ {
			ch := make(chan int, 1)
			chanwatch.Send(ch, i)
			chanwatch.Recv(ch)
		}
	}()
	var n int
	for i := 0; i < 50; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		if n = d.Stats().Chans; n < 50 {
			break
		}
	}
	if n >= 50 {
		t.Fatalf("%d channel records left after GC, want the collected channels' records gone", n)
	}
}

//go:noinline
func selectSendOnClosed(ch chan int) (panicked bool) {
	defer func() { panicked = recover() != nil }()
	chanwatch.Close(ch)
	// As gridlock's rewriter emits: operands, CheckSend, then the select.
	c0 := ch
	chanwatch.CheckSend(c0)
	select {
	case c0 <- 1:
	}
	return false
}

func TestSelectSendOnClosed(t *testing.T) {
	reports := start(t)
	if !selectSendOnClosed(make(chan int)) {
		t.Fatal("the select did not panic")
	}
	r := waitFor(t, reports, detect.KindSendOnClosed)
	if !names(r.Stacks[0].Stack, "selectSendOnClosed") || !names(r.Stacks[1].Stack, "selectSendOnClosed") {
		t.Errorf("stacks = %+v, want the select's send and the close in selectSendOnClosed", r.Stacks)
	}
}

func TestSelectSendOnOpenIsSilent(t *testing.T) {
	reports := start(t)
	ch := make(chan int, 1)
	c0 := ch
	chanwatch.CheckSend(c0)
	select {
	case c0 <- 1:
	default:
	}
	chanwatch.Close(ch)
	quiet(t, reports, 0)
}

// sendSelect is what the gridlock command emits for
// `select { case c <- 1: }` (internal/rewrite/select.go).
func sendSelect(c chan int) {
	c0 := c
	v0 := 1
	chanwatch.CheckSend(c0)
	i := -1
	select {
	case c0 <- v0:
		i = 0
		chanwatch.Selected(chanwatch.SendOp(c0))
	default:
	}
	if i < 0 {
		w := chanwatch.Block(chanwatch.SendOp(c0))
		select {
		case c0 <- v0:
			i = 0
		}
		w.Done(i)
	}
}

// A select whose send case panics (its channel closed while it waits) never
// reaches Done. When its goroutine recovers and goes on, the wait it left
// must not be reported (its stack no longer holds the select), and the
// goroutine's next wait replaces it.
func TestSelectPanicLeavesNoWait(t *testing.T) {
	if raceEnabled {
		t.Skip("closes a channel while a send waits on it: a race the race detector reports, on purpose here")
	}
	reports := start(t, detect.WithTimeout(100*time.Millisecond))
	c := make(chan int)
	recovered := make(chan any)
	release, next := make(chan struct{}), make(chan int)
	go func() {
		func() {
			defer func() { recovered <- recover() }()
			sendSelect(c) // blocks, then panics: send on closed channel
		}()
		<-release            // blocked in nothing gridlock tracks
		chanwatch.Recv(next) // a tracked wait again
	}()
	// Close once the select blocks: its wait, before the close, is then far
	// shorter than the timeout (a sleep here could last longer than that).
	awaitBlocked(t, "chanwatch_test.sendSelect", "chan send") // a select of one case is a send
	close(c)
	if r := <-recovered; r == nil {
		t.Fatal("the select did not panic")
	}
	time.Sleep(300 * time.Millisecond) // three timeouts
	for _, r := range reports() {
		t.Errorf("report %s: %s, want none about a goroutine out of its select", r.Kind, r.Summary)
	}
	close(release)
	r := waitFor(t, reports, detect.KindBlockedWait)
	if !strings.Contains(r.Summary, "receive from") || strings.Contains(r.Summary, "send on") {
		t.Errorf("blocked-wait summary = %q, want the receive that replaced the select's wait", r.Summary)
	}
	chanwatch.Send(next, 1)
}

// TestGRIDLOCKWithChanwatchAlone runs a program that imports chanwatch and
// no other gridlock package: GRIDLOCK turns detection on for it too.
func TestGRIDLOCKWithChanwatchAlone(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	bin := filepath.Join(t.TempDir(), "alone")
	if out, err := exec.Command("go", "build", "-o", bin, "./testdata/alone").CombinedOutput(); err != nil {
		t.Fatalf("go build ./testdata/alone: %v\n%s", err, out)
	}
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "GRIDLOCK=on")
	out, _ := cmd.CombinedOutput() // the runtime panics after the report
	if !strings.Contains(string(out), "gridlock: close-of-closed") || !strings.Contains(string(out), "main.closeTwice") {
		t.Errorf("GRIDLOCK=on alone output:\n%s\nwant a close-of-closed report naming main.closeTwice", out)
	}
}

// dispatcher is a worker fed jobs that answers each with a result; the
// caller waits for results with a way out in a select (the program of a
// third-party review: a later sender or a timer ends the wait).
type dispatcher struct {
	jobs, results chan int
}

//go:noinline
func (d *dispatcher) work() {
	for j := range chanwatch.Range(d.jobs) {
		chanwatch.Send(d.results, j)
	}
}

// await waits for a result or for other, as the rewritten select
// `select { case v = <-d.results: case <-other: }` does.
//
//go:noinline
func (d *dispatcher) await(other <-chan time.Time) int {
	w := chanwatch.Block(chanwatch.RecvOp(d.results), chanwatch.RecvOp(other))
	v, i := -1, 0
	select {
	case v = <-d.results:
	case <-other:
		i = 1
	}
	w.Done(i)
	return v
}

// call sends a job, takes its result, then waits for another result or
// for other.
//
//go:noinline
func (d *dispatcher) call(other <-chan time.Time) int {
	chanwatch.Send(d.jobs, 1)
	chanwatch.Recv(d.results)
	return d.await(other)
}

// TestSelectWithTimerIsSilent: the worker has sent results and now waits
// for a job; the caller has sent jobs and now waits for a result or a
// timer. The timer's channel has no known sender: the select has a way
// out, no deadlock.
func TestSelectWithTimerIsSilent(t *testing.T) {
	reports := start(t, detect.WithTimeout(time.Hour))
	d := &dispatcher{jobs: make(chan int), results: make(chan int)}
	go d.work()
	if v := d.call(time.After(300 * time.Millisecond)); v != -1 {
		t.Fatalf("call = %d, want -1 (the timer)", v)
	}
	chanwatch.Close(d.jobs)
	quiet(t, reports, 0)
}

// TestSelectWithNilCaseDeadlock is its twin with a nil channel in place of
// the timer: that case never fires, and the deadlock is reported.
func TestSelectWithNilCaseDeadlock(t *testing.T) {
	reports := start(t, detect.WithTimeout(time.Hour))
	d := &dispatcher{jobs: make(chan int), results: make(chan int)}
	go d.work()
	go d.call(nil)
	r := waitFor(t, reports, detect.KindDeadlock)
	if missing := notWaitingIn(r, "(*dispatcher).work", "(*dispatcher).await"); len(missing) > 0 {
		t.Errorf("goroutines = %+v, want waits in %q too", r.Goroutines, missing)
	}
	chanwatch.Send(d.jobs, 2) // the worker's result ends await's wait: both return
}

// TestLaterSenderIsSilent: the caller waits for a result after the worker
// went back to waiting for jobs, as in the deadlock above, but a heartbeat
// goroutine that has not used the results channel yet sends on it after a
// while. Who can unblock a channel is inferred from the past: such a
// deadlock is only reported once it has lasted a moment (and this one
// ends before).
func TestLaterSenderIsSilent(t *testing.T) {
	reports := start(t, detect.WithTimeout(time.Hour))
	d := &dispatcher{jobs: make(chan int), results: make(chan int)}
	go d.work()
	go func() {
		time.Sleep(300 * time.Millisecond)
		chanwatch.Send(d.results, -2) // the heartbeat
	}()
	if v := d.call(nil); v != -2 {
		t.Fatalf("call = %d, want -2 (the heartbeat)", v)
	}
	chanwatch.Close(d.jobs)
	quiet(t, reports, 0)
}

// TestWaitInSynctestBubble: a tracked wait in a testing/synctest bubble
// must not stop the bubble's fake clock (a watchdog goroutine waiting for
// I/O in the bubble did) nor outlive the bubble.
func TestWaitInSynctestBubble(t *testing.T) {
	reports := start(t, detect.WithTimeout(time.Hour))
	done := make(chan bool)
	go func() {
		defer close(done)
		synctest.Test(t, func(t *testing.T) {
			ch := make(chan int)
			go func() { time.Sleep(time.Second); chanwatch.Send(ch, 1) }()
			if v := chanwatch.Recv(ch); v != 1 {
				t.Errorf("Recv() = %d, want 1", v)
			}
		})
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the bubble still runs after 20s: its fake clock stands still")
	}
	if r := reports(); len(r) != 0 {
		t.Errorf("reports = %v, want none", kinds(r))
	}
}

// TestReusedAddressIsANewChannel closes channels and drops them while new
// ones are made: a new channel often takes the address of one that was
// collected before the cleanup that drops its record ran (cleanups run
// later, on their own goroutine). Operations on the new channel must not be
// judged by the dead one's record: no send-on-closed, no close-of-closed.
func TestReusedAddressIsANewChannel(t *testing.T) {
	reports := start(t)
	seen := map[uintptr]bool{}
	reused := 0
	for i := 0; i < 20000; i++ {
		ch := make(chan int, 1)
		p := *(*uintptr)(unsafe.Pointer(&ch))
		if seen[p] {
			reused++
		}
		seen[p] = true
		chanwatch.Send(ch, i)
		chanwatch.Recv(ch)
		chanwatch.Close(ch)
		if i%100 == 0 {
			runtime.GC()
		}
	}
	if reused == 0 {
		t.Skip("no channel address was reused")
	}
	time.Sleep(300 * time.Millisecond)
	if reps := reports(); len(reps) != 0 {
		t.Fatalf("%d reports %v for channels each closed once, want none; first: %s", len(reps), kinds(reps), reps[0].Summary)
	}
}

// TestTimedWaitIsNotBlocked waits past the timeout in a select with a
// timer's case (a time.After, a ticker): it waits for time, which will
// come, so it is no blocked-wait. TestSelectBlockedWait is its twin.
func TestTimedWaitIsNotBlocked(t *testing.T) {
	reports := start(t)
	stop := make(chan struct{})
	ticker := time.NewTicker(time.Hour)
	defer ticker.Stop()
	done := make(chan struct{})
	go func() {
		defer close(done)
		after := time.After(time.Hour)
		w := chanwatch.Block(chanwatch.RecvOp(stop), chanwatch.RecvOp(after))
		i := -1
		select {
		case <-stop:
			i = 0
		case <-after:
			i = 1
		}
		w.Done(i)
	}()
	go func() {
		chanwatch.Recv(ticker.C)
	}()
	time.Sleep(600 * time.Millisecond) // four timeouts
	close(stop)
	<-done
	if reps := reports(); len(reps) != 0 {
		t.Errorf("%d reports %v for waits on timers, want none; first: %s", len(reps), kinds(reps), reps[0].Summary)
	}
}

// TestBlockingReceivesThenLeft: a receiver whose every receive blocked
// (so that its later ones begin their wait without a try, see core's
// BeginChanOp) is reported once its sender stops sending without closing;
// the fixed sender closes the channel, and nothing is reported. It guards
// the report of a wait begun without a try (it fails if that path records
// no wait); core's TestBeginChanOpPredictsBlock checks when that path is
// taken.
func TestBlockingReceivesThenLeft(t *testing.T) {
	tests := []struct {
		name  string
		close bool
	}{
		{"left", false},
		{"fixed", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reports := start(t)
			ch := chanwatch.Make[int](0, "jobs")
			done := make(chan int)
			go func() { done <- receiveAll(ch) }()
			for i := range 5 {
				awaitBlocked(t, "receiveAll", "chan receive")
				chanwatch.Send(ch, i)
			}
			if tt.close {
				chanwatch.Close(ch)
				if got := <-done; got != 10 {
					t.Fatalf("receiveAll = %d, want 10", got)
				}
				quiet(t, reports, 300*time.Millisecond)
				return
			}
			r := waitFor(t, reports, detect.KindBlockedWait)
			g := r.Goroutines[0]
			if !names(g.WaitStack, "receiveAll") || g.WaitsFor != "receive from chan jobs" {
				t.Errorf("waiter = %q at %v, want receive from chan jobs in receiveAll", g.WaitsFor, g.WaitStack)
			}
			chanwatch.Close(ch)
			<-done
		})
	}
}
