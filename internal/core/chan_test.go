package core

import (
	"io"
	"runtime"
	"slices"
	"testing"
	"time"
	"unsafe"
	"weak"

	"github.com/gridlock-go/gridlock/internal/config"
	"github.com/petermattis/goid"
)

// TestWeakHandle checks what ChanRec.of relies on: a weak.Pointer is one
// pointer to a handle that holds the object's address while it lives and 0
// once the GC swept it (before its memory can be reused).
func TestWeakHandle(t *testing.T) {
	if got, want := unsafe.Sizeof(weak.Pointer[byte]{}), unsafe.Sizeof(unsafe.Pointer(nil)); got != want {
		t.Fatalf("unsafe.Sizeof(weak.Pointer[byte]{}) = %d, want %d (one pointer to the handle)", got, want)
	}
	handle := func(w *weak.Pointer[byte]) uintptr {
		return *(*uintptr)(*(*unsafe.Pointer)(unsafe.Pointer(w)))
	}
	live := new([32]byte)
	w := weak.Make(&live[0])
	if got, want := handle(&w), uintptr(unsafe.Pointer(live)); got != want {
		t.Errorf("handle of a live object = %#x, want its address %#x", got, want)
	}
	runtime.KeepAlive(live)

	dead := weak.Make(&new([32]byte)[0])
	for i := 0; i < 10 && handle(&dead) != 0; i++ {
		runtime.GC()
	}
	if got := handle(&dead); got != 0 || dead.Value() != nil {
		t.Errorf("handle of a collected object = %#x (Value %p), want 0 (nil)", got, dead.Value())
	}
}

// TestChanRecordOfDeadChannelAtSameAddress puts in the table, at a live
// channel's address, the record of another channel (as when a channel died
// there and its cleanup has not run yet): the live channel gets a new
// record, from the table and from the goroutine's cache alike.
func TestChanRecordOfDeadChannelAtSameAddress(t *testing.T) {
	d := New(Config{Settings: config.Settings{Enabled: true, Log: "off", Action: "log"}, Stderr: io.Discard})
	defer d.Close()
	chanPtr := func(ch chan int) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&ch)) }
	ch, other := make(chan int), make(chan int)
	p := chanPtr(ch)
	r := d.Chan(p, 0, nil)
	if !r.of(p) || r.of(chanPtr(other)) {
		t.Fatalf("of(ch) = %v, of(other) = %v, want true, false", r.of(p), r.of(chanPtr(other)))
	}
	if again := d.Chan(p, 0, nil); again != r {
		t.Fatalf("Chan(ch) again = record #%d, want the same record #%d", again.seq, r.seq)
	}

	stale := &ChanRec{key: uintptr(p), seq: d.chans.seq.Add(1), ch: weak.Make((*byte)(chanPtr(other)))}
	stale.closed.Store(true)
	sh := d.chans.shard(uintptr(p))
	sh.mu.Lock()
	sh.m[uintptr(p)] = stale
	sh.mu.Unlock()
	g := d.reg.current()
	for i := range g.chans {
		if c := &g.chans[i]; c.rec != nil && c.rec.key == uintptr(p) {
			c.rec = stale
		}
	}
	got := d.Chan(p, 0, nil)
	if got == stale || got == r || got.closed.Load() {
		t.Errorf("Chan(ch) = record #%d (closed %v), want a new open record (not #%d or #%d)", got.seq, got.closed.Load(), stale.seq, r.seq)
	}
	if !stale.dead.Load() {
		t.Error("the other channel's record is not marked dead")
	}
	runtime.KeepAlive(ch)
	runtime.KeepAlive(other)
}

// TestTimerChan checks the runtime fields that ChanRec.timer reads: the
// hchan's timer, set for the channels of timers and tickers, and the
// timer's when, 0 once stopped or fired.
func TestTimerChan(t *testing.T) {
	d := New(Config{Settings: config.Settings{Enabled: true, Log: "off", Action: "log"}, Stderr: io.Discard})
	defer d.Close()
	timer, ticker := time.NewTimer(time.Hour), time.NewTicker(time.Hour)
	defer timer.Stop()
	defer ticker.Stop()
	stopped, stoppedTicker, fired := time.NewTimer(time.Hour), time.NewTicker(time.Hour), time.NewTimer(time.Millisecond)
	stopped.Stop()
	stoppedTicker.Stop()
	<-fired.C
	tests := []struct {
		name string
		give <-chan time.Time
		want bool
	}{
		{"time.NewTimer", timer.C, true},
		{"time.NewTicker", ticker.C, true},
		{"time.After", time.After(time.Hour), true},
		{"a stopped timer", stopped.C, false},
		{"a stopped ticker", stoppedTicker.C, false},
		{"a timer that fired", fired.C, false},
		{"make(chan time.Time)", make(chan time.Time), false},
		{"make(chan time.Time, 1)", make(chan time.Time, 1), false},
	}
	for _, tt := range tests {
		p := *(*unsafe.Pointer)(unsafe.Pointer(&tt.give))
		if got := d.Chan(p, cap(tt.give), nil).timer(); got != tt.want {
			t.Errorf("timer() of %s's channel = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestRuntimeClosed checks the runtime field that ChanRec.runtimeClosed
// reads: the hchan's closed, set by any close.
func TestRuntimeClosed(t *testing.T) {
	d := New(Config{Settings: config.Settings{Enabled: true, Log: "off", Action: "log"}, Stderr: io.Discard})
	defer d.Close()
	open, closed, closedFull := make(chan int), make(chan struct{}, 3), make(chan string, 1)
	close(closed)
	closedFull <- "x"
	close(closedFull)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	tests := []struct {
		name string
		give unsafe.Pointer
		cap  int
		want bool
	}{
		{"make(chan int)", *(*unsafe.Pointer)(unsafe.Pointer(&open)), 0, false},
		{"a closed chan struct{}", *(*unsafe.Pointer)(unsafe.Pointer(&closed)), 3, true},
		{"a closed chan string still holding a value", *(*unsafe.Pointer)(unsafe.Pointer(&closedFull)), 1, true},
		{"a timer's channel", *(*unsafe.Pointer)(unsafe.Pointer(&timer.C)), 1, false},
	}
	for _, tt := range tests {
		if got := d.Chan(tt.give, tt.cap, nil).runtimeClosed(); got != tt.want {
			t.Errorf("runtimeClosed() of %s = %v, want %v", tt.name, got, tt.want)
		}
	}
	runtime.KeepAlive(open)
	runtime.KeepAlive(closed)
	runtime.KeepAlive(closedFull)
}

func TestLayoutKnown(t *testing.T) {
	tests := []struct {
		give string
		want bool
	}{
		{"go1.26.8", true},
		{"go1.24", true},
		{"go1.26rc1", true},
		{"go1.23.4", false},
		{"go1.27.0", false},
		{"devel go1.27-abcdef", false},
		{"go2.0", false},
	}
	for _, tt := range tests {
		if got := layoutKnown(tt.give); got != tt.want {
			t.Errorf("layoutKnown(%q) = %v, want %v", tt.give, got, tt.want)
		}
	}
	if !knownLayouts {
		t.Errorf("knownLayouts = false on %s: the layout tests below check this release", runtime.Version())
	}
}

// sendOp is a send's BeginChanOp; its site is where sendOp is called.
//
//go:noinline
func sendOp(d *Detector, ch chan int) {
	var pcs PCs
	d.BeginChanOp(&pcs, *(*unsafe.Pointer)(unsafe.Pointer(&ch)), OpSend, true, false)
}

// TestEvictedParticipantJoinsAgain: a goroutine whose participant was
// evicted by maxParticipants newer ones, while its channel cache still
// holds it (BeginChanOp's fast path), joins again at its next operation
// instead of counting in the evicted one.
func TestEvictedParticipantJoinsAgain(t *testing.T) {
	d := New(Config{Settings: config.Settings{Enabled: true, Log: "off", Action: "log"}, Stderr: io.Discard})
	defer d.Close()
	ch := make(chan int, 2*maxParticipants)
	r := d.Chan(*(*unsafe.Pointer)(unsafe.Pointer(&ch)), cap(ch), nil)
	me := goid.Get()
	for step := range 3 { // one site: the fast path's second time
		if step == 2 {
			if p := r.find(dirSend, me); p == nil || p.count.Load() != 2 {
				t.Fatalf("find(me) = %v, want a participant with 2 sends", p)
			}
			for range maxParticipants {
				done := make(chan bool)
				go func() { sendOp(d, ch); done <- true }()
				<-done
			}
			if r.find(dirSend, me) != nil {
				t.Fatalf("%d later senders did not evict the first one", maxParticipants)
			}
		}
		sendOp(d, ch)
	}
	if p := r.find(dirSend, me); p == nil || p.count.Load() != 1 {
		t.Errorf("find(me) after a send = %v, want a new participant with 1 send", p)
	}
}

// recvOp is a receive's BeginChanOp; its site is where recvOp is called.
//
//go:noinline
func recvOp(d *Detector, ch chan int, mayWait bool) (ChanCall, WaitToken) {
	var pcs PCs
	return d.BeginChanOp(&pcs, *(*unsafe.Pointer)(unsafe.Pointer(&ch)), OpRecv, false, mayWait)
}

// TestBeginChanOpPredictsBlock: once a goroutine's try at a site failed
// (WaitCall), its next operations there begin their wait in BeginChanOp,
// which the facade then skips its try for, unless mayWait is false. Every
// 16th is tried again: one that fails turns the prediction back on, one
// that does not ends it. A goroutine that moves to another site tries
// there.
func TestBeginChanOpPredictsBlock(t *testing.T) {
	d := New(Config{Settings: config.Settings{Enabled: true, Log: "off", Action: "log"}, Stderr: io.Discard})
	defer d.Close()
	ch := make(chan int)
	// op runs one operation; a try (when BeginChanOp began no wait) fails
	// if tryFails. It reports whether BeginChanOp began the wait.
	op := func(c ChanCall, tok WaitToken, i int, tryFails bool) bool {
		if tok == (WaitToken{}) {
			if tryFails {
				var pcs PCs
				d.ChanWaitDone(d.WaitCall(c, false, &pcs))
			}
			return false
		}
		w := tok.g.loadWait()
		if w == nil || w.kind != waitChan || len(w.chans) != 1 || w.chans[0] != (ChanOp{Ch: c.r}) {
			t.Fatalf("op %d: the wait BeginChanOp began = %+v, want a receive from the channel", i, w)
		}
		d.ChanWaitDone(tok)
		if n := tok.g.waitDepth(); n != 0 {
			t.Fatalf("op %d: wait depth after ChanWaitDone = %d, want 0", i, n)
		}
		return true
	}
	var got []int // the operations for which BeginChanOp began the wait
	for i := 1; i <= 40; i++ {
		c, tok := recvOp(d, ch, i != 5) // one site
		if op(c, tok, i, i <= 20) {
			got = append(got, i)
		}
	}
	// 1: the slow path; 5: mayWait false; 16: tried again, and failed;
	// 32: tried again, and did not fail.
	var want []int
	for i := 2; i <= 31; i++ {
		if i != 5 && i != 16 {
			want = append(want, i)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("began for ops %v, want %v", got, want)
	}

	// Another site: its first operation takes the slow path (and fails),
	// the second is predicted; back at the first site, neither is.
	var moved []bool
	for i := range 4 {
		var c ChanCall
		var tok WaitToken
		if i < 2 {
			c, tok = recvOpElsewhere(d, ch)
		} else {
			c, tok = recvOp(d, ch, true)
		}
		moved = append(moved, op(c, tok, 40+i, i < 2))
	}
	if want := []bool{false, true, false, false}; !slices.Equal(moved, want) {
		t.Errorf("began after moving = %v, want %v", moved, want)
	}
}

// recvOpElsewhere is recvOp at another site.
//
//go:noinline
func recvOpElsewhere(d *Detector, ch chan int) (ChanCall, WaitToken) {
	return recvOp(d, ch, true)
}

// TestWaitOnCollectedChannelIsOver: a wait whose channel was garbage
// collected is over (a goroutine blocked on a channel keeps it alive): a
// send that panicked on a channel closed by a close gridlock did not see,
// and recovered, leaves such a wait published. A wait on a live open
// channel is not.
func TestWaitOnCollectedChannelIsOver(t *testing.T) {
	d := New(Config{Settings: config.Settings{Enabled: true, Log: "off", Action: "log"}, Stderr: io.Discard})
	defer d.Close()
	live := make(chan int)
	rec := func(ch chan int) *ChanRec { return d.Chan(*(*unsafe.Pointer)(unsafe.Pointer(&ch)), cap(ch), nil) }
	liveRec := rec(live)
	deadRec := rec(make(chan int))
	for i := 0; deadRec.ch.Value() != nil; i++ {
		if i == 100 {
			t.Fatal("the dropped channel is not collected after 100 GCs")
		}
		runtime.GC()
	}
	tests := []struct {
		give *ChanRec
		want bool
	}{
		{liveRec, false},
		{deadRec, true},
	}
	for _, tt := range tests {
		w := &waitSnap{kind: waitChan, chans: []ChanOp{{Ch: tt.give, Send: true}}}
		if got := w.onClosed(); got != tt.want {
			t.Errorf("onClosed(send on %s, collected %v) = %v, want %v", tt.give.Name(), tt.give.collected(), got, tt.want)
		}
	}
	runtime.KeepAlive(live)
}

// TestBeginOpWaitMatchesBeginWait: beginOpWait's written-out path (no
// other wait, no reader, the record's buffer made) leaves the record and
// the goroutine's state as beginWait does for the same send or receive,
// after a wait of another kind in the same record.
func TestBeginOpWaitMatchesBeginWait(t *testing.T) {
	d := New(Config{Settings: config.Settings{Enabled: true, Log: "off", Action: "log"}, Stderr: io.Discard})
	defer d.Close()
	ch := make(chan int)
	r := d.Chan(*(*unsafe.Pointer)(unsafe.Pointer(&ch)), 0, nil)
	lock := &lockRec{}
	pcs := PCs{1, 2, 3, 4, 5, 6}
	tests := []struct {
		name string
		give func(g *gstate, send bool) *waitRec
	}{
		{"beginWait", func(g *gstate, send bool) *waitRec {
			return d.beginWait(g, waitChan, nil, 0, &pcs, []ChanOp{{Ch: r, Send: send}})
		}},
		{"beginOpWait", func(g *gstate, send bool) *waitRec { return d.beginOpWait(g, r, send, &pcs) }},
	}
	for _, tt := range tests {
		for _, send := range []bool{true, false} {
			g := newGState(-1) // a goroutine of the test's own: no other one is touched
			// A lock wait first, in the same record: every field is
			// written again, and the chans buffer is made.
			d.endWait(g, d.beginWait(g, waitLock, lock, modeRead, &PCs{9}, []ChanOp{{Ch: r}}))
			before := g.waits.Load()
			w := tt.give(g, send)
			if w != &g.slots[0] {
				t.Fatalf("%s(send=%v) = %p, want the first record %p", tt.name, send, w, &g.slots[0])
			}
			want := waitRec{seq: before + 1, kind: waitChan, pcs: pcs, since: w.since, depth: 1, chans: []ChanOp{{Ch: r, Send: send}}}
			if w.seq != want.seq || w.kind != want.kind || w.rec != nil || w.mode != 0 || w.pcs != want.pcs ||
				w.depth != want.depth || !slices.Equal(w.chans, want.chans) || w.since == 0 {
				t.Errorf("%s(send=%v) wrote %+v, want %+v", tt.name, send, *w, want)
			}
			if g.depth != 1 || g.waitDepth() != 1 || g.waits.Load() != before+1 {
				t.Errorf("%s(send=%v): depth %d, published %d, waits %d; want 1, 1, %d",
					tt.name, send, g.depth, g.waitDepth(), g.waits.Load(), before+1)
			}
			d.endWait(g, w)
			if g.waitDepth() != 0 {
				t.Errorf("%s(send=%v) then endWait: published depth %d, want 0", tt.name, send, g.waitDepth())
			}
		}
	}
}
