package core

import (
	"cmp"
	"fmt"
	"github.com/petermattis/goid"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
	"weak"

	"github.com/gridlock-go/gridlock/internal/report"
)

// maxParticipants bounds the goroutines remembered per channel and
// direction; older ones are only counted.
const maxParticipants = 8

// ChanRec is what gridlock knows of one channel: who sent, received and
// closed, where and when. It holds no pointer to the channel, so that the
// channel can be collected (its record is then dropped) and the runtime's
// goroutine leak profile still sees goroutines blocked on it.
type ChanRec struct {
	key  uintptr
	ch   weak.Pointer[byte] // the runtime's hchan, to read its length
	seq  uint64
	cap  int
	name string
	site PCs

	// parts are the goroutines that sent (parts[dirSend]) and received
	// (parts[dirRecv]), the most recent maxParticipants of each. An
	// operation by a goroutine already there only counts in its own
	// participant, without a lock; adding one takes mu.
	parts   [2][maxParticipants]atomic.Pointer[participant]
	partSeq uint64          // numbers participants in arrival order; under mu
	others  [2]atomic.Int64 // operations by goroutines no longer remembered
	mu      sync.Mutex      // a leaf lock
	closed  atomic.Bool     // written under mu
	closer  closeInfo       // under mu
	// willClose are the goroutines that deferred close(ch) and have not
	// returned yet (see WillClose), the most recent maxParticipants; under
	// mu.
	willClose []closeInfo
	dead      atomic.Bool
	declared  atomic.Uint32 // ownership rules, see Own
}

// Directions of channel operations, indexing ChanRec.parts.
const (
	dirSend = 0
	dirRecv = 1
)

// dirOf returns the direction of a send (OpSend) or receive (OpRecv).
func dirOf(kind ChanKind) int {
	if kind == OpRecv {
		return dirRecv
	}
	return dirSend
}

// participant is one goroutine's operations on a channel in one direction.
// Only that goroutine updates it, with atomics: reports read it at any time.
type participant struct {
	participantData
	// The padding makes a participant a 128-byte object, alone on its
	// cache lines: the sender's and the receiver's counts must not
	// share one.
	_ [128 - unsafe.Sizeof(participantData{})]byte
}

type participantData struct {
	g     int64  // set before it is published
	order uint64 // arrival order on the channel, set before it is published
	// gone: evicted by a newer participant (see join); its goroutine's
	// channel cache must not count in it any more.
	gone atomic.Bool
	// blocks: the goroutine's last try of an operation here (this
	// channel, this direction, this site) failed; cleared when the site
	// changes and at every 16th operation. Owner only; see BeginChanOp.
	blocks bool
	count  atomic.Int64
	last   atomic.Int64 // ns since epoch, see Detector.Did
	pcs    [nPCs]atomic.Uintptr
}

func (p *participant) loadPCs() []uintptr {
	var pcs PCs
	for i := range pcs {
		pcs[i] = p.pcs[i].Load()
	}
	return pcs[:trimPCs(pcs[:])]
}

// bump adds one to the participant's count and reports whether the
// operation is a sixteenth one, which the caller then hands to sixteenth.
// Only the participant's goroutine counts (a goroutine finds its own
// participant), so a release store does: an atomic add is a locked
// instruction, a tenth of a buffered send and receive.
func (p *participant) bump() (sixteenth bool) {
	n := p.count.Load() + 1
	storeRelease((*uint64)(unsafe.Pointer(&p.count)), uint64(n))
	return n%16 == 0
}

// again records another operation of the participant's goroutine: the
// time every 16th, the call site when it changed. Only that goroutine
// calls it.
func (p *participant) again(d *Detector, pcs *PCs) {
	if p.bump() {
		p.sixteenth(d)
	}
	if !p.at(pcs) {
		p.storePCs(pcs)
		p.blocks = false // learnt at the other site
	}
}

// sixteenth is what every 16th operation of the participant does: it
// records the time (reports say "last ... ago" to that precision) and
// forgets that its operations blocked, so that this one is tried (see
// BeginChanOp).
func (p *participant) sixteenth(d *Detector) {
	storeRelease((*uint64)(unsafe.Pointer(&p.last)), uint64(d.wd.now())) // owner only, as bump
	p.blocks = false
}

// at reports whether the participant's call site is that of pcs. The first
// address may be the facade's own (Send, Recv): the call site is then the
// second, so both are compared.
func (p *participant) at(pcs *PCs) bool {
	return p.pcs[0].Load() == pcs[0] && p.pcs[1].Load() == pcs[1]
}

func (p *participant) storePCs(pcs *PCs) {
	for i := range pcs {
		p.pcs[i].Store(pcs[i])
	}
}

// closeInfo is the close of a channel.
type closeInfo struct {
	g   int64
	pcs PCs
	at  time.Time
}

// find returns g's participant in direction dir, or nil.
func (r *ChanRec) find(dir int, g int64) *participant {
	for i := range r.parts[dir] {
		if p := r.parts[dir][i].Load(); p != nil && p.g == g {
			return p
		}
	}
	return nil
}

// participants returns the remembered participants in direction dir, in
// arrival order.
func (r *ChanRec) participants(dir int) []*participant {
	var out []*participant
	for i := range r.parts[dir] {
		if p := r.parts[dir][i].Load(); p != nil {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *participant) int { return cmp.Compare(a.order, b.order) })
	return out
}

// Ownership rules a channel can be declared to follow.
const (
	SingleSender uint32 = 1 << iota
	SingleReceiver
	SendersClose
)

type chanShard struct {
	mu sync.RWMutex
	m  map[uintptr]*ChanRec
}

const chanShards = 64

type chanTable struct {
	shards [chanShards]chanShard
	seq    atomic.Uint64
}

func (t *chanTable) shard(key uintptr) *chanShard {
	return &t.shards[(key>>4)%chanShards]
}

// chanCap returns the capacity of the channel whose runtime pointer is ch:
// cap of any chan type reads the same field of the runtime's channel, so
// operations need not pass it (a generic caller would pass a closure).
func chanCap(ch unsafe.Pointer) int { return cap(*(*chan struct{})(unsafe.Pointer(&ch))) }

// Chan returns the record of the channel whose runtime pointer is ch, making
// it if needed. capacity is cap(ch).
func (d *Detector) Chan(ch unsafe.Pointer, capacity int, pcs *PCs) *ChanRec {
	return d.chanOf(d.reg.current(), ch, capacity, pcs)
}

// A ChanCall is a send or receive of the calling goroutine in progress:
// the goroutine and the channel, looked up once for the operation.
type ChanCall struct {
	g *gstate
	r *ChanRec
	p *participant // the goroutine's participant, when BeginChanOp made the call
}

// Call starts a send or receive of the calling goroutine on the channel
// whose runtime pointer is ch (not nil).
func (d *Detector) Call(ch unsafe.Pointer, capacity int, pcs *PCs) ChanCall {
	g := d.reg.current()
	return ChanCall{g: g, r: d.chanOf(g, ch, capacity, pcs)}
}

// Rec returns the channel's record.
func (c ChanCall) Rec() *ChanRec { return c.r }

// chanOf is Chan for goroutine g, the caller.
func (d *Detector) chanOf(g *gstate, ch unsafe.Pointer, capacity int, pcs *PCs) *ChanRec {
	key := uintptr(ch)
	// Goroutines use few channels again and again: a small cache per
	// goroutine answers without touching shared memory.
	c := &g.chans[(key>>5)%chanCacheSize]
	if c.rec != nil && c.rec.key == key && c.rec.of(ch) {
		return c.rec
	}
	r := d.lookupChan(ch, capacity, pcs)
	*c = chanCacheEntry{rec: r}
	return r
}

// chanCacheSize is the size of each goroutine's channel cache.
const chanCacheSize = 8

// chanCacheEntry is one channel record in a goroutine's cache, with the
// goroutine's participants in it once known (BeginChanOp's fast path).
type chanCacheEntry struct {
	rec   *ChanRec
	parts [2]*participant
}

func (d *Detector) lookupChan(ch unsafe.Pointer, capacity int, pcs *PCs) *ChanRec {
	key := uintptr(ch)
	sh := d.chans.shard(key)
	sh.mu.RLock()
	r := sh.m[key]
	sh.mu.RUnlock()
	if r != nil && r.of(ch) {
		return r
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.m == nil {
		sh.m = make(map[uintptr]*ChanRec)
	}
	if r := sh.m[key]; r != nil {
		if r.of(ch) {
			return r
		}
		// The record of a channel that died at this address, whose
		// cleanup has not run yet: ch is a new channel.
		r.dead.Store(true)
	}
	r = &ChanRec{key: key, cap: capacity, seq: d.chans.seq.Add(1), ch: weak.Make((*byte)(ch))}
	if pcs != nil {
		r.site = *pcs
	}
	sh.m[key] = r
	runtime.AddCleanup((*byte)(ch), d.dropChan, r)
	return r
}

// of reports whether r is the record of the live channel whose runtime
// pointer is ch. The record of a channel that died stays in the table until
// its cleanup runs, later, on another goroutine, and a new channel may take
// the address before that: judged by the dead one's record, its first close
// was a close-of-closed, its sends were sends on a closed channel, and its
// peers were the dead one's. The GC clears a weak pointer's handle when it
// sweeps the object, before the memory is reused, so r's handle holds ch
// exactly while r's channel is the one at ch. The handle is read directly:
// one load, where weak.Pointer.Value is a runtime call (TestWeakHandle
// checks the layout this relies on).
func (r *ChanRec) of(ch unsafe.Pointer) bool {
	if !knownLayouts {
		return r.ch.Value() == (*byte)(ch)
	}
	return r.handleIs(ch)
}

// handleIs is of with knownLayouts: one load of the handle. A record's weak
// pointer is made of its channel (lookupChan), so its handle is never nil.
func (r *ChanRec) handleIs(ch unsafe.Pointer) bool {
	return atomic.LoadUintptr(*(**uintptr)(unsafe.Pointer(&r.ch))) == uintptr(ch)
}

// knownLayouts says that the runtime's data read through unsafe pointers
// (a weak pointer's handle, a channel's timer) is laid out as in the Go
// releases whose layout the tests check, go1.24 to go1.26. With another
// release, a misread could crash the program gridlock watches: gridlock
// then takes the runtime's slower calls (weak.Pointer.Value), or does
// without (a wait on a timer's channel may be a blocked-wait).
var knownLayouts = layoutKnown(runtime.Version())

func layoutKnown(v string) bool {
	minor, ok := strings.CutPrefix(v, "go1.")
	if !ok {
		return false // a development build
	}
	if i := strings.IndexAny(minor, ".rcbeta-+ "); i >= 0 {
		minor = minor[:i]
	}
	n, err := strconv.Atoi(minor)
	return err == nil && n >= 24 && n <= 26
}

// NameChan gives the channel a name for reports.
func (d *Detector) NameChan(ch unsafe.Pointer, capacity int, name string, pcs *PCs) {
	r := d.Chan(ch, capacity, pcs)
	r.mu.Lock()
	r.name = name
	r.mu.Unlock()
}

func (d *Detector) dropChan(r *ChanRec) {
	r.dead.Store(true)
	sh := d.chans.shard(r.key)
	sh.mu.Lock()
	if sh.m[r.key] == r {
		delete(sh.m, r.key)
	}
	sh.mu.Unlock()
}

// NumChans returns how many channels have records.
func (d *Detector) NumChans() int {
	n := 0
	for i := range d.chans.shards {
		sh := &d.chans.shards[i]
		sh.mu.RLock()
		n += len(sh.m)
		sh.mu.RUnlock()
	}
	return n
}

func (r *ChanRec) name0() string {
	if r.name != "" {
		return "chan " + r.name
	}
	return fmt.Sprintf("chan#%d", r.seq)
}

// Name returns how reports name the channel.
func (r *ChanRec) Name() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.name0()
}

func (r *ChanRec) object() report.Object {
	o := report.Object{Name: r.Name(), Type: "chan", Cap: r.cap}
	if s := symbolize(r.site[:trimPCs(r.site[:])]); len(s) > 0 {
		o.Site = s[0].Site()
	}
	if p := r.ch.Value(); p != nil {
		// The first word of the runtime's hchan is its element count.
		o.Len = int(atomic.LoadUintptr((*uintptr)(unsafe.Pointer(p))))
	}
	return o
}

// timer reports whether r's channel is an armed timer's (made by
// time.NewTimer, time.NewTicker, time.After, time.Tick, and neither stopped
// nor fired for good): a receive from it ends when the time comes, whatever
// the other goroutines do. Since Go 1.23 the runtime's hchan points to the
// timer that feeds it, in the word after qcount, dataqsiz, buf, elemsize
// (uint16) and closed (uint32); the timer's when, after its mutex (one
// word) and 12 bytes of flags and counts, is 0 once it is stopped or has
// fired without a period. TestTimerChan checks both against the installed
// Go.
func (r *ChanRec) timer() bool {
	p := r.hchan()
	if p == nil {
		return false
	}
	t := atomic.LoadPointer((*unsafe.Pointer)(unsafe.Add(p, hchanTimer)))
	return t != nil && *(*int64)(unsafe.Add(t, timerWhen)) != 0
}

// hchan returns r's channel, the runtime's hchan, to read its fields: nil
// when their layout is unknown (see knownLayouts) or the channel was
// collected.
func (r *ChanRec) hchan() unsafe.Pointer {
	if !knownLayouts {
		return nil
	}
	return unsafe.Pointer(r.ch.Value())
}

// runtimeClosed reports whether r's channel is closed, by any close: an
// instrumented one or not (code gridlock did not rewrite). It reads the
// runtime hchan's closed field, the uint32 before its timer (see timer;
// TestRuntimeClosed checks it against the installed Go). False when the
// layout is unknown or the channel was collected.
func (r *ChanRec) runtimeClosed() bool {
	p := r.hchan()
	return p != nil && atomic.LoadUint32((*uint32)(unsafe.Add(p, hchanClosed))) != 0
}

// collected reports whether r's channel was garbage collected (for the
// watchdog; where the layout is unknown, through weak.Pointer.Value, a
// runtime call).
func (r *ChanRec) collected() bool {
	if knownLayouts {
		// The handle's address, read without Value: Value shades the
		// channel during a mark phase, which would keep a channel only
		// leaked goroutines reach from the runtime's leak profile. A nil
		// check needs no strong pointer.
		return atomic.LoadUintptr(*(**uintptr)(unsafe.Pointer(&r.ch))) == 0
	}
	return r.ch.Value() == nil
}

// Offsets of the runtime hchan's closed and timer fields and of the
// timer's when.
const (
	hchanClosed = hchanTimer - 4
	hchanTimer  = 3*unsafe.Sizeof(uintptr(0)) + 8
	timerWhen   = (unsafe.Sizeof(uintptr(0)) + 12 + unsafe.Alignof(int64(0)) - 1) &^ (unsafe.Alignof(int64(0)) - 1)
)

// join adds g as a participant in direction dir, replacing the oldest
// when the list is full. It returns the participant that arrived first
// before g, if any (for the single-sender and single-receiver rules).
func (r *ChanRec) join(dir int, g int64, pcs *PCs) (p, first *participant, added bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if p := r.find(dir, g); p != nil {
		return p, nil, false // joined meanwhile (a select's Done and a retry)
	}
	slot := -1
	for i := range r.parts[dir] {
		p := r.parts[dir][i].Load()
		if p == nil {
			if slot < 0 {
				slot = i
			}
			continue
		}
		if first == nil || p.order < first.order {
			first = p
		}
	}
	if slot < 0 {
		// Full: the oldest goes, and is only counted from now on.
		for i := range r.parts[dir] {
			if r.parts[dir][i].Load() == first {
				slot = i
			}
		}
		r.others[dir].Add(first.count.Load())
		first.gone.Store(true)
		first = nil
		for i := range r.parts[dir] {
			if p := r.parts[dir][i].Load(); i != slot && (first == nil || p.order < first.order) {
				first = p
			}
		}
	}
	r.partSeq++
	p = &participant{participantData: participantData{g: g, order: r.partSeq}}
	p.count.Store(1)
	p.last.Store(int64(time.Since(epoch)))
	p.storePCs(pcs)
	r.parts[dir][slot].Store(p)
	return p, first, true
}

// ChanKind is what a channel operation does.
type ChanKind uint8

// Channel operations.
const (
	OpSend ChanKind = iota
	OpRecv
	OpClose
)

// Did records a send or receive: a select's case that proceeded, or an
// operation about to be tried (Send and Recv record it first, see
// chanwatch). A goroutine that has operated on the channel in that
// direction before only updates its own participant: the time is read
// every 16th operation (reports say "last ... ago" to that precision) and
// the call site when it changes.
func (d *Detector) Did(r *ChanRec, kind ChanKind, pcs *PCs) {
	if r == nil {
		return
	}
	d.did(goid.Get(), r, kind, pcs)
}

// DidCall records that the operation c completed.
func (d *Detector) DidCall(c ChanCall, kind ChanKind, pcs *PCs) { d.did(c.g.id, c.r, kind, pcs) }

func (d *Detector) did(g int64, r *ChanRec, kind ChanKind, pcs *PCs) *participant {
	dir := dirOf(kind)
	if p := r.find(dir, g); p != nil {
		p.again(d, pcs)
		return p
	}
	p, first, added := r.join(dir, g, pcs)
	rule, violation := SingleSender, "a second goroutine sends on a single-sender channel"
	if dir == dirRecv {
		rule, violation = SingleReceiver, "a second goroutine receives from a single-receiver channel"
	}
	if !added || first == nil || r.declared.Load()&rule == 0 {
		return p
	}
	d.sink.submit(&pending{
		kind:    report.Ownership,
		summary: fmt.Sprintf("%s: %s (goroutine %d)", r.Name(), violation, g),
		objects: []report.Object{r.object()},
		stacks:  []pendingStack{{fmt.Sprintf("goroutine %d", g), fullStack(3)}, {fmt.Sprintf("the first one, goroutine %d", first.g), first.loadPCs()}},
	}, false)
	return p
}

// Own declares ownership rules for a channel.
func (d *Detector) Own(r *ChanRec, rules uint32) { r.declared.Store(r.declared.Load() | rules) }

// BeforeSend checks a send: on a channel closed by an instrumented close it
// reports send-on-closed with the closer's stack, and waits for the report
// to be written (the runtime panics next).
func (d *Detector) BeforeSend(r *ChanRec) {
	if r.closed.Load() {
		d.reportSendOnClosed(r)
	}
}

func (d *Detector) reportSendOnClosed(r *ChanRec) {
	r.mu.Lock()
	closer := r.closer
	name := r.name0()
	r.mu.Unlock()
	d.sink.submit(&pending{
		kind:    report.SendOnClosed,
		summary: fmt.Sprintf("send on closed %s by goroutine %d (the runtime panics next)", name, goid.Get()),
		objects: []report.Object{r.object()},
		stacks: []pendingStack{{"send", fullStack(3)},
			{fmt.Sprintf("closed by goroutine %d at", closer.g), closer.pcs[:trimPCs(closer.pcs[:])]}},
		actor: goid.Get(), snapshot: true,
	}, true)
}

// CloseChan records close(ch); it reports close-of-closed with the first close
// (unless recovered: the closing function recovers the panic), and a close
// by a goroutine that never sent on a channel declared SendersClose.
func (d *Detector) CloseChan(r *ChanRec, pcs *PCs, recovered bool) {
	g := goid.Get()
	r.mu.Lock()
	was, first := r.closed.Load(), r.closer
	if !was {
		r.closed.Store(true)
		r.closer = closeInfo{g: g, pcs: *pcs, at: time.Now()}
		r.willClose = nil
	}
	sentBefore := r.find(dirSend, g) != nil
	name := r.name0()
	r.mu.Unlock()
	if was {
		if recovered {
			return // the panic may be caught on purpose (see chanwatch.CloseRecovered)
		}
		d.sink.submit(&pending{
			kind:    report.CloseOfClosed,
			summary: fmt.Sprintf("close of closed %s by goroutine %d (the runtime panics next)", name, g),
			objects: []report.Object{r.object()},
			stacks: []pendingStack{{"second close", fullStack(2)},
				{fmt.Sprintf("first close, by goroutine %d", first.g), first.pcs[:trimPCs(first.pcs[:])]}},
			actor: g, snapshot: true,
		}, true)
		return
	}
	if r.declared.Load()&SendersClose != 0 && !sentBefore {
		d.sink.submit(&pending{
			kind:    report.Ownership,
			summary: fmt.Sprintf("%s is closed by goroutine %d, which never sent on it (declared: only senders close)", name, g),
			objects: []report.Object{r.object()},
			stacks:  []pendingStack{{"close", fullStack(2)}},
		}, false)
	}
}

// WillClose records that the calling goroutine has deferred close(ch) of
// r's channel (pcs: the defer statement): until it returns, it is a
// goroutine that could end a wait on the channel, as a sender would, even
// if it never sends (a producer's defer close(out); a goroutine waiting on
// a channel only its own return closes).
func (d *Detector) WillClose(r *ChanRec, pcs *PCs) {
	g := goid.Get()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed.Load() || slices.ContainsFunc(r.willClose, func(c closeInfo) bool { return c.g == g }) {
		return
	}
	if len(r.willClose) == maxParticipants {
		r.willClose = slices.Delete(r.willClose, 0, 1)
	}
	r.willClose = append(r.willClose, closeInfo{g: g, pcs: *pcs, at: time.Now()})
}

// closers returns the goroutines that deferred closing r's channel and
// have not closed it yet.
func (r *ChanRec) closers() []closeInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.willClose)
}

// ReportNil reports close-of-nil or a send/receive on a nil channel
// outside select (which blocks forever). It waits for the report.
func (d *Detector) ReportNil(kind report.Kind, what string) {
	summary := fmt.Sprintf("%s on a nil channel by goroutine %d blocks forever", what, goid.Get())
	if kind == report.CloseOfNil {
		summary = fmt.Sprintf("close of nil channel by goroutine %d (the runtime panics next)", goid.Get())
	}
	d.sink.submit(&pending{kind: kind, summary: summary, stacks: []pendingStack{{what, fullStack(2)}}, actor: goid.Get(), snapshot: true}, true)
}

// ChanWait records that the calling goroutine blocks on the channel
// operations ops (one for a send or receive, several for a select; a nil
// Ch for a nil channel). The operations are copied: ops may be reused once
// ChanWait returns.
func (d *Detector) ChanWait(ops []ChanOp, pcs *PCs) WaitToken {
	g := d.reg.current()
	return WaitToken{g, d.beginWait(g, waitChan, nil, 0, pcs, ops)}
}

// WaitCall records that the operation c is about to block.
func (d *Detector) WaitCall(c ChanCall, send bool, pcs *PCs) WaitToken {
	if c.p != nil {
		c.p.blocks = true // its try failed: the next ones here block at once
	}
	return WaitToken{c.g, d.beginOpWait(c.g, c.r, send, pcs)}
}

// beginOpWait begins g's wait in one send or receive on r. It is
// beginWait for the common case, the goroutine in no other wait, nobody
// reading its state, its first record's buffer made: written out here, it
// spares a blocking send or receive beginWait's general arguments and
// checks (shared, its tail cost a call per wait: 16 instructions).
// TestBeginOpWaitMatchesBeginWait and TestPublishProtocol hold the two to
// the same record and protocol.
func (d *Detector) beginOpWait(g *gstate, r *ChanRec, send bool, pcs *PCs) *waitRec {
	w := &g.slots[0]
	if g.depth != 0 || cap(w.chans) == 0 || g.readers.Load() != 0 {
		return d.beginWait(g, waitChan, nil, 0, pcs, []ChanOp{{Ch: r, Send: send}})
	}
	w.kind, w.rec, w.mode = waitChan, nil, 0
	w.pcs = *pcs
	w.chans = w.chans[:1]
	w.chans[0] = ChanOp{Ch: r, Send: send}
	w.depth = 1
	n := g.waits.Load() + 1
	storeRelease((*uint64)(unsafe.Pointer(&g.waits)), n)
	w.since = d.wd.clockForWait()
	w.seq = n
	g.depth = 1
	g.publish(g.count()) // sequentially consistent, see beginWait
	d.wd.nudge()
	return w
}

// ChanWaitDone ends a wait begun by ChanWait.
func (d *Detector) ChanWaitDone(t WaitToken) {
	if t.w != nil {
		d.endWait(t.g, t.w)
	}
}

// ChanWaitFired ends a wait begun by ChanWait in which the operation of
// index fired proceeded, and returns that operation (ok is false for an
// index out of range).
func (d *Detector) ChanWaitFired(t WaitToken, fired int) (op ChanOp, ok bool) {
	if t.w != nil && fired >= 0 && fired < len(t.w.chans) {
		op, ok = t.w.chans[fired], true
	}
	d.endWait(t.g, t.w)
	return op, ok
}

func chanOpsDesc(ops []ChanOp) string {
	var parts []string
	for _, op := range ops {
		name := "nil chan"
		if op.Ch != nil {
			name = op.Ch.Name()
		}
		if op.Send {
			parts = append(parts, "send on "+name)
		} else {
			parts = append(parts, "receive from "+name)
		}
	}
	switch len(parts) {
	case 0:
		return "select with no cases (forever)"
	case 1:
		return parts[0]
	}
	return "select { " + strings.Join(parts, "; ") + " }"
}

// chanPeers returns the goroutines that could complete op, inferred from
// the past: those that operated on the channel in the other direction (for
// a receive, also the senders, who may close it). nil means none known.
func (d *Detector) chanPeers(op ChanOp) []int64 {
	r := op.Ch
	if r == nil {
		return nil
	}
	dir := dirRecv
	if !op.Send {
		dir = dirSend
	}
	var ids []int64
	for _, p := range r.participants(dir) {
		if !slices.Contains(ids, p.g) {
			ids = append(ids, p.g)
		}
	}
	// A deferred close ends a wait in either direction (a blocked send
	// panics).
	for _, c := range r.closers() {
		if !slices.Contains(ids, c.g) {
			ids = append(ids, c.g)
		}
	}
	return ids
}

// stateOf describes goroutine id for a report: exited (gone from the
// registry or, when there is one, from the dump snap: the registry keeps
// exited goroutines' states until it prunes), blocked on a tracked wait, or
// running.
func (d *Detector) stateOf(id int64, snap snapshot) string {
	g := d.reg.lookup(id)
	if _, alive := snap[id]; g == nil || (snap != nil && !alive) {
		return "exited"
	}
	if pw := g.loadWait(); pw != nil {
		return "blocked on " + pw.desc()
	}
	return "running"
}

// closerStack is the report's stack of c, a goroutine that deferred
// closing the channel named name (see WillClose).
func (d *Detector) closerStack(c closeInfo, name string, snap snapshot) pendingStack {
	return pendingStack{
		fmt.Sprintf("goroutine %d (%s) will close %s when it returns: it deferred the close at", c.g, d.stateOf(c.g, snap), name),
		c.pcs[:trimPCs(c.pcs[:])]}
}

// chanHistory describes what gridlock saw happen on the channels a wait is
// on.
func (d *Detector) chanHistory(w *waitSnap, snap snapshot) (string, []pendingStack) {
	var notes []string
	var stacks []pendingStack
	now := time.Now()
	for _, op := range w.chans {
		r := op.Ch
		if r == nil {
			notes = append(notes, "a nil channel never becomes ready")
			continue
		}
		name := r.Name()
		peers, verb := r.participants(dirRecv), "received from"
		if !op.Send {
			peers, verb = r.participants(dirSend), "sent on"
		}
		closers := r.closers()
		if len(peers) == 0 && len(closers) == 0 {
			notes = append(notes, fmt.Sprintf("no goroutine has %s %s yet", verb, name))
		}
		for _, c := range closers {
			stacks = append(stacks, d.closerStack(c, name, snap))
		}
		dir := dirRecv
		if !op.Send {
			dir = dirSend
		}
		if n := r.others[dir].Load(); n > 0 {
			notes = append(notes, fmt.Sprintf("%d more operation(s) %s %s by goroutines no longer remembered (the last %d are)", n, verb, name, maxParticipants))
		}
		for _, p := range peers {
			last := now.Sub(epoch.Add(time.Duration(p.last.Load())))
			stacks = append(stacks, pendingStack{
				fmt.Sprintf("goroutine %d (%s) %s %s %d time(s), last %s ago, at", p.g, d.stateOf(p.g, snap), verb, name, p.count.Load(), last.Round(time.Millisecond)),
				p.loadPCs()})
		}
		if r.closed.Load() {
			r.mu.Lock()
			closer := r.closer.g
			r.mu.Unlock()
			notes = append(notes, fmt.Sprintf("%s was closed by goroutine %d", name, closer))
		}
	}
	return strings.Join(notes, "; "), stacks
}
