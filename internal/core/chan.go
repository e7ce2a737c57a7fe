package core

import (
	"fmt"
	"runtime"
	"slices"
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

	mu       sync.Mutex // a leaf lock
	sends    []participant
	recvs    []participant
	others   [2]int64    // operations by goroutines no longer remembered
	closed   atomic.Bool // written under mu
	closer   participant
	dead     atomic.Bool
	declared atomic.Uint32 // ownership rules, see Own
}

// participant is one goroutine's operations on a channel in one direction.
type participant struct {
	g     int64
	count int64
	pcs   PCs
	last  time.Time
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

// Chan returns the record of the channel whose runtime pointer is ch, making
// it if needed. capacity is cap(ch).
func (d *Detector) Chan(ch unsafe.Pointer, capacity int, pcs *PCs) *ChanRec {
	key := uintptr(ch)
	// Goroutines use few channels again and again: a small cache per
	// goroutine answers without touching shared memory.
	c := &d.reg.current().chans[(key>>5)%chanCacheSize]
	if c.key == key && c.rec != nil && !c.rec.dead.Load() {
		return c.rec
	}
	r := d.lookupChan(ch, capacity, pcs)
	c.key, c.rec = key, r
	return r
}

// chanCacheSize is the size of each goroutine's channel cache.
const chanCacheSize = 8

// chanCacheEntry is one channel record in a goroutine's cache.
type chanCacheEntry struct {
	key uintptr
	rec *ChanRec
}

func (d *Detector) lookupChan(ch unsafe.Pointer, capacity int, pcs *PCs) *ChanRec {
	key := uintptr(ch)
	sh := d.chans.shard(key)
	sh.mu.RLock()
	r := sh.m[key]
	sh.mu.RUnlock()
	if r != nil && !r.dead.Load() {
		return r
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.m == nil {
		sh.m = make(map[uintptr]*ChanRec)
	}
	if r := sh.m[key]; r != nil && !r.dead.Load() {
		return r
	}
	r = &ChanRec{key: key, cap: capacity, seq: d.chans.seq.Add(1), ch: weak.Make((*byte)(ch))}
	if pcs != nil {
		r.site = *pcs
	}
	sh.m[key] = r
	runtime.AddCleanup((*byte)(ch), d.dropChan, r)
	return r
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

// record counts an operation of goroutine g. The time is read for a new
// participant and then every 16th operation: reports say "last ... ago" to
// that precision, and a busy channel does not pay for the clock each time.
func record(list []participant, other *int64, g int64, pcs *PCs) []participant {
	for i := range list {
		if p := &list[i]; p.g == g {
			p.count++
			if p.pcs[0] != pcs[0] {
				p.pcs = *pcs
			}
			if p.count%16 == 0 {
				p.last = time.Now()
			}
			return list
		}
	}
	now := time.Now()
	if len(list) == maxParticipants {
		*other += list[0].count
		copy(list, list[1:])
		list = list[:maxParticipants-1]
	}
	return append(list, participant{g: g, count: 1, pcs: *pcs, last: now})
}

// ChanKind is what a channel operation does.
type ChanKind uint8

// Channel operations.
const (
	OpSend ChanKind = iota
	OpRecv
	OpClose
)

// Did records a completed send or receive.
func (d *Detector) Did(r *ChanRec, kind ChanKind, pcs *PCs) {
	if r == nil {
		return
	}
	g := d.reg.current().id
	r.mu.Lock()
	var violation string
	var other *participant
	switch kind {
	case OpSend:
		r.sends = record(r.sends, &r.others[0], g, pcs)
		if r.declared.Load()&SingleSender != 0 && len(r.sends) > 1 {
			violation, other = "a second goroutine sends on a single-sender channel", &r.sends[0]
		}
	case OpRecv:
		r.recvs = record(r.recvs, &r.others[1], g, pcs)
		if r.declared.Load()&SingleReceiver != 0 && len(r.recvs) > 1 {
			violation, other = "a second goroutine receives from a single-receiver channel", &r.recvs[0]
		}
	}
	if violation == "" {
		r.mu.Unlock()
		return
	}
	op := other.pcs
	name := r.name0()
	r.mu.Unlock()
	{
		d.sink.submit(&pending{
			kind:    report.Ownership,
			summary: fmt.Sprintf("%s: %s (goroutine %d)", name, violation, g),
			objects: []report.Object{r.object()},
			stacks:  []pendingStack{{fmt.Sprintf("goroutine %d", g), fullStack(2)}, {"the first one", op[:trimPCs(op[:])]}},
		}, false)
	}
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
		summary: fmt.Sprintf("send on closed %s by goroutine %d (the runtime panics next)", name, d.reg.current().id),
		objects: []report.Object{r.object()},
		stacks: []pendingStack{{"send", fullStack(3)},
			{fmt.Sprintf("closed by goroutine %d at", closer.g), closer.pcs[:trimPCs(closer.pcs[:])]}},
		actor: d.reg.current().id, snapshot: true,
	}, true)
}

// CloseChan records close(ch); it reports close-of-closed with the first close,
// and a close by a goroutine that never sent on a channel declared
// SendersClose.
func (d *Detector) CloseChan(r *ChanRec, pcs *PCs) {
	g := d.reg.current().id
	r.mu.Lock()
	was, first := r.closed.Load(), r.closer
	if !was {
		r.closed.Store(true)
		r.closer = participant{g: g, count: 1, pcs: *pcs, last: time.Now()}
	}
	sentBefore := slices.ContainsFunc(r.sends, func(p participant) bool { return p.g == g })
	name := r.name0()
	r.mu.Unlock()
	if was {
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

// ReportNil reports close-of-nil or a send/receive on a nil channel
// outside select (which blocks forever). It waits for the report.
func (d *Detector) ReportNil(kind report.Kind, what string) {
	summary := fmt.Sprintf("%s on a nil channel by goroutine %d blocks forever", what, d.reg.current().id)
	if kind == report.CloseOfNil {
		summary = fmt.Sprintf("close of nil channel by goroutine %d (the runtime panics next)", d.reg.current().id)
	}
	d.sink.submit(&pending{kind: kind, summary: summary, stacks: []pendingStack{{what, fullStack(2)}}, actor: d.reg.current().id, snapshot: true}, true)
}

// ChanWait records that the calling goroutine blocks on the channel
// operations ops (one for a send or receive, several for a select).
func (d *Detector) ChanWait(ops []ChanOp, pcs *PCs) WaitToken {
	g := d.reg.current()
	return WaitToken{g, d.beginWait(g, &waitRec{kind: waitChan, chans: ops, pcs: *pcs})}
}

// ChanWait1 is ChanWait for a single send or receive.
func (d *Detector) ChanWait1(op ChanOp, pcs *PCs) WaitToken {
	g := d.reg.current()
	w := &waitRec{kind: waitChan, pcs: *pcs}
	w.one[0] = op
	w.chans = w.one[:]
	return WaitToken{g, d.beginWait(g, w)}
}

// ChanWaitDone ends a wait begun by ChanWait.
func (d *Detector) ChanWaitDone(t WaitToken) { d.endWait(t.g, t.w) }

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
	r.mu.Lock()
	defer r.mu.Unlock()
	var ids []int64
	add := func(list []participant) {
		for _, p := range list {
			if !slices.Contains(ids, p.g) {
				ids = append(ids, p.g)
			}
		}
	}
	if op.Send {
		add(r.recvs)
	} else {
		add(r.sends)
	}
	return ids
}

// chanHistory describes what gridlock saw happen on the channels a wait is
// on.
func (d *Detector) chanHistory(w *waitRec) (string, []pendingStack) {
	var notes []string
	var stacks []pendingStack
	now := time.Now()
	for _, op := range w.chans {
		r := op.Ch
		if r == nil {
			notes = append(notes, "a nil channel never becomes ready")
			continue
		}
		r.mu.Lock()
		name := r.name0()
		peers, verb := r.recvs, "received from"
		if !op.Send {
			peers, verb = r.sends, "sent on"
		}
		if len(peers) == 0 {
			notes = append(notes, fmt.Sprintf("no goroutine has %s %s yet", verb, name))
		}
		for _, p := range peers {
			g := d.reg.lookup(p.g)
			state := "running"
			if g == nil {
				state = "exited"
			} else if pw := g.wait.Load(); pw != nil {
				state = "blocked on " + pw.desc()
			}
			stacks = append(stacks, pendingStack{
				fmt.Sprintf("goroutine %d (%s) %s %s %d time(s), last %s ago, at", p.g, state, verb, name, p.count, now.Sub(p.last).Round(time.Millisecond)),
				p.pcs[:trimPCs(p.pcs[:])]})
		}
		if r.closed.Load() {
			notes = append(notes, fmt.Sprintf("%s was closed by goroutine %d", name, r.closer.g))
		}
		r.mu.Unlock()
	}
	return strings.Join(notes, "; "), stacks
}
