package core

import (
	"cmp"
	"fmt"
	"github.com/petermattis/goid"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/gridlock-go/gridlock/internal/report"
)

// pending is a report as the detection code hands it to the sink: raw
// PCs and references, symbolized and completed by the sink, outside any lock
// and off the goroutine that found it.
type pending struct {
	test    string // the test that was running, when known at detection
	kind    report.Kind
	summary string
	gs      []pendingG
	edges   []cycleEdge
	objects []report.Object
	stacks  []pendingStack
	notes   []string
	wait    time.Duration
	// snapshot asks the sink for the current stacks of the goroutines.
	snapshot bool
	// snap is a dump already taken by the detection code.
	snap snapshot
	// actor is the goroutine whose operation is reported (misuse), listed
	// with its state, stack and creator like the others.
	actor int64
	// done, when set, is closed once the report is written.
	done chan struct{}
	// built is a report that needs no building (reports-dropped).
	built *report.Report
	// exitCheck asks the sink whether a deferred fatal exit is due.
	exitCheck bool
	// raw is rawKey's value, when the sink remembers it (hasRaw).
	raw    uint64
	hasRaw bool
	// waiter is the wait a blocked-wait report is about.
	waiter *waiter
}

// rawKey returns a hash of what p's report key will name (see
// report.CauseID): its kind and, per stack, the first program counters
// (the same counters give the same first frames), and for a cycle its
// locks. Two pendings with the same raw key build reports with the same
// key.
func (p *pending) rawKey() (uint64, bool) {
	if p.built != nil || p.kind == "" || p.exitCheck {
		return 0, false
	}
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	mix := func(v uint64) { h = (h ^ v) * prime }
	for _, c := range []byte(p.kind) {
		mix(uint64(c))
	}
	// Every PC: symbolize drops gridlock's frames at the top, so the
	// report key's first four frames may come from later PCs.
	pcs := func(tag uint64, s []uintptr) {
		mix(tag)
		for _, pc := range s {
			mix(uint64(pc))
		}
	}
	for _, e := range p.edges {
		// The locks too: a cycle is found once, when its last edge is
		// added, so repeats are rare; keeping cycles of different locks
		// apart leaves their reports to the queue (and its bound) as
		// before.
		mix(uint64(e.info.fromStack)<<32 | uint64(e.info.toStack))
		mix(e.from.seq)
		mix(e.to.seq)
	}
	if len(p.edges) == 0 {
		for _, g := range p.gs {
			if g.wait != nil {
				pcs(1, g.wait.pcs[:])
			}
			for _, hd := range g.held {
				pcs(2, hd.pcs)
			}
		}
		for _, st := range p.stacks {
			for _, c := range []byte(st.label) {
				mix(uint64(c))
			}
			pcs(3, st.pcs)
		}
	}
	return h, true
}

type pendingG struct {
	id    int64
	wait  *waitSnap
	held  []heldSnapshot
	note  string
	stack []uintptr // current stack, when captured by the goroutine itself
	state string
}

type pendingStack struct {
	label string
	pcs   []uintptr
}

func (d *Detector) stackOf(id stackID) report.Stack { return symbolize(d.stacks.get(id)) }

// build turns a pending report into a report.
func (d *Detector) build(p *pending, snap snapshot) report.Report {
	if p.built != nil {
		return *p.built
	}
	r := report.Report{
		Kind:    p.kind,
		Summary: p.summary,
		Time:    time.Now(),
		Count:   1,
		Wait:    p.wait,
		Objects: p.objects,
		Notes:   p.notes,
		Test:    p.test,
		Package: d.packageName(),
	}
	for _, e := range p.edges {
		r.Edges = append(r.Edges, report.Edge{
			From:      e.from.name(),
			To:        e.to.name(),
			Goroutine: e.info.goroutine,
			FromStack: d.stackOf(e.info.fromStack),
			ToStack:   d.stackOf(e.info.toStack),
		})
		r.Objects = appendObject(r.Objects, e.from.object())
	}
	// Every goroutine involved is listed: those of the edges and the actor
	// too, from the dump when they are alive.
	gs := p.gs
	listed := func(id int64) bool {
		return slices.ContainsFunc(gs, func(pg pendingG) bool { return pg.id == id })
	}
	for _, e := range p.edges {
		if id := e.info.goroutine; id != 0 && !listed(id) {
			gs = append(gs, pendingG{id: id})
		}
	}
	if p.actor != 0 && !listed(p.actor) {
		gs = append(gs, pendingG{id: p.actor})
	}
	for _, pg := range gs {
		g := report.Goroutine{ID: pg.id, State: pg.state, Note: pg.note}
		if pg.wait != nil {
			g.WaitsFor = pg.wait.desc()
			g.Waited = time.Since(pg.wait.since)
			g.WaitStack = symbolize(pg.wait.pcs[:trimPCs(pg.wait.pcs[:])])
			for _, o := range pg.wait.objects() {
				r.Objects = appendObject(r.Objects, o)
			}
			if g.State == "" {
				g.State = "blocked"
			}
		}
		for _, h := range pg.held {
			mode := "write"
			if h.mode == modeRead {
				mode = "read"
			}
			g.Holds = append(g.Holds, report.Held{Object: h.rec.name(), Mode: mode, Stack: symbolize(h.pcs)})
			r.Objects = appendObject(r.Objects, h.rec.object())
		}
		if len(pg.stack) > 0 {
			g.Stack = symbolize(pg.stack)
		}
		if gd := snap[pg.id]; gd != nil {
			if len(g.Stack) == 0 {
				g.Stack = userStack(gd.stack)
			}
			g.CreatedBy = gd.createdBy
			if g.State == "" {
				g.State = "running"
			}
			// The dump's state, unless the goroutine is the one whose
			// operation is reported: it is then in gridlock, waiting for
			// this report to be written (a select) or gone on.
			self := len(pg.stack) > 0 || pg.id == p.actor
			if !self && gd.state != "" && gd.state != g.State && !strings.Contains(g.State, "[") {
				g.State += " [" + gd.state + "]"
			}
		} else if snap != nil && g.State == "" {
			g.State = "exited"
		}
		if g.State == "" {
			g.State = "running"
		}
		r.Goroutines = append(r.Goroutines, g)
	}
	for _, s := range p.stacks {
		r.Stacks = append(r.Stacks, report.Labelled{Label: s.label, Stack: symbolize(s.pcs)})
	}
	if r.Test == "" {
		r.Test = testOf(&r, snap)
	}
	r.ID = r.CauseID()
	return r
}

// testOf returns the test of the goroutines r is about (see aboutFirst):
// the first one found in the dump (the goroutine's or its live creators'
// stacks) or in their own stacks. A report without goroutines takes it
// from its first stack, the reported operation's (a receive that breaks an
// ownership rule, the use of a copied lock), made now.
func testOf(r *report.Report, snap snapshot) string {
	if len(r.Goroutines) == 0 {
		if len(r.Stacks) > 0 {
			return testInStack(r.Stacks[0].Stack)
		}
		return ""
	}
	subjects := r.Goroutines
	if aboutFirst(r.Kind) {
		subjects = subjects[:1]
	}
	for _, g := range subjects {
		if t := cmp.Or(snap.testName(g.ID), testInStack(g.Stack), testInStack(g.WaitStack)); t != "" {
			return t
		}
	}
	return ""
}

// aboutFirst reports whether a report of kind is about its first goroutine
// only, whose test it names: a blocked or leaked wait, the others listed
// being the wait's peers or holders, which may have worked for another test
// (a worker a pool reuses, a channel that outlives a test). The other
// reports are about all their goroutines (a deadlock's, a leaked lock's
// exited holder and its waiters).
func aboutFirst(kind report.Kind) bool {
	return kind == report.BlockedWait || kind == report.LeakedWait
}

func appendObject(objs []report.Object, o report.Object) []report.Object {
	if slices.ContainsFunc(objs, func(x report.Object) bool { return x.Name == o.Name }) {
		return objs
	}
	return append(objs, o)
}

func (d *Detector) reportCycle(edges []cycleEdge) {
	names := make([]string, 0, len(edges)+1)
	for _, e := range edges {
		names = append(names, e.from.name())
	}
	names = append(names, edges[0].from.name())
	// The goroutine that closed the cycle is alive now; the sink may run
	// after it has gone, so find its test here (a rare, slow path).
	snap := takeSnapshot()
	test := testInStack(symbolize(fullStack(2)))
	if test == "" {
		test = snap.testName(edges[0].info.goroutine)
	}
	d.sink.submit(&pending{
		test: test,
		snap: snap,
		kind: report.LockOrderCycle,
		summary: fmt.Sprintf("%d locks taken in inconsistent order: %s (a potential deadlock, even if this run did not hang)",
			len(edges), strings.Join(names, " -> ")),
		edges: edges,
	}, false)
}

func (d *Detector) reportDoubleLock(op *Op, kind report.Kind, e heldSnapshot) {
	verb := "Lock"
	if op.mode == modeRead {
		verb = "RLock"
	}
	held := "holds it"
	if e.mode == modeRead {
		held = "holds it for reading"
	}
	summary := fmt.Sprintf("goroutine %d calls %s on %s while it %s: it will block forever", op.g.id, verb, op.rec.name(), held)
	switch {
	case kind == report.RecursiveRLock:
		summary = fmt.Sprintf("goroutine %d calls RLock on %s while it holds it for reading: it deadlocks as soon as a writer waits between the two", op.g.id, op.rec.name())
	case op.rec.typ == TypeOnce:
		summary = fmt.Sprintf("goroutine %d calls Do on %s inside the first call of its Do: it will block forever", op.g.id, op.rec.name())
	}
	d.sink.submit(&pending{
		kind:     kind,
		summary:  summary,
		gs:       []pendingG{{id: op.g.id, held: []heldSnapshot{e}, stack: fullStack(2), state: "running"}},
		objects:  []report.Object{op.rec.object()},
		snapshot: true,
	}, kind == report.DoubleLock)
}

func (d *Detector) reportCopied(op *Op, orig *lockRec) {
	d.sink.submit(&pending{
		kind:     report.CopiedLock,
		summary:  fmt.Sprintf("%s was copied after first use (copy used by goroutine %d); the copy and the original no longer exclude each other", orig.name(), op.g.id),
		objects:  []report.Object{orig.object()},
		stacks:   []pendingStack{{"the copy is used at", fullStack(3)}, {"first used at", orig.site[:trimPCs(orig.site[:])]}},
		actor:    op.g.id,
		snapshot: true,
	}, false)
}

// ReportUnlockOfUnlocked reports an Unlock or RUnlock of a lock that is not
// locked and waits until the report is written: sync's fatal error follows.
func (d *Detector) ReportUnlockOfUnlocked(st *State, self unsafe.Pointer, typ ObjType, mode uint32, pcs *PCs) {
	rec, _ := d.recFor(st, self, typ, nil)
	verb := "Unlock"
	if mode == modeRead {
		verb = "RUnlock"
	}
	var prev []uintptr
	for i := range rec.unlockPCs {
		if pc := rec.unlockPCs[i].Load(); pc != 0 {
			prev = append(prev, pc)
		}
	}
	p := &pending{
		kind:     report.UnlockOfUnlocked,
		summary:  fmt.Sprintf("%s of unlocked %s by goroutine %d (sync will now stop the program)", verb, rec.name(), goid.Get()),
		objects:  []report.Object{rec.object()},
		stacks:   []pendingStack{{verb + " of the unlocked lock", fullStack(2)}},
		actor:    goid.Get(),
		snapshot: true,
	}
	if len(prev) > 0 {
		p.stacks = append(p.stacks, pendingStack{fmt.Sprintf("previous unlock (goroutine %d)", st.unlocker.Load()), prev})
	} else {
		p.notes = append(p.notes, "no earlier unlock of this lock was tracked")
	}
	d.sink.submit(p, true)
}

func (d *Detector) goroutinesOf(wf *waitFor, ids []int64) []pendingG {
	var out []pendingG
	for _, id := range ids {
		pg := pendingG{id: id}
		if x, ok := wf.waiting[id]; ok {
			pg.wait = x.w
			pg.held = x.g.snapshotHeld()
		} else if g := d.reg.lookup(id); g != nil {
			pg.held = g.snapshotHeld()
		}
		out = append(out, pg)
	}
	return out
}

func (d *Detector) reportDeadlock(wf *waitFor, members []waiter) {
	var ids []int64
	var parts []string
	var longest time.Duration
	var stacks []pendingStack
	for _, m := range members {
		ids = append(ids, m.g.id)
		part := fmt.Sprintf("goroutine %d waits for %s", m.g.id, m.w.desc())
		if m.w.kind != waitLock {
			var bs []string
			for _, b := range slices.Sorted(slices.Values(named(m, wf.blockers(m)))) {
				bs = append(bs, fmt.Sprint(b))
			}
			if len(bs) == 0 {
				part += " (which no other goroutine could end)"
			} else {
				part += " (which only goroutine(s) " + strings.Join(bs, ", ") + " could end)"
			}
		}
		parts = append(parts, part)
		longest = max(longest, time.Since(m.w.since))
		for _, op := range m.w.chans {
			if op.Ch == nil {
				continue
			}
			for _, c := range op.Ch.closers() {
				stacks = append(stacks, d.closerStack(c, op.Ch.Name(), nil))
			}
		}
	}
	p := &pending{
		kind:     report.Deadlock,
		summary:  fmt.Sprintf("%d goroutines are blocked for good: %s", len(members), strings.Join(parts, ", ")),
		gs:       d.goroutinesOf(wf, ids),
		stacks:   stacks,
		wait:     longest,
		snapshot: true,
	}
	for _, m := range members {
		if m.w.kind != waitLock {
			p.notes = append(p.notes, inferredNote)
			break
		}
	}
	d.sink.submit(p, false)
}

// named returns the blockers of x that its report names: each once (a
// select's operations may share peers), and for an inferred wait not x's
// own goroutine, which took part in the channel or deferred its close but
// cannot end a wait it is blocked in. (The wait-for graph keeps it: a
// goroutine that is its channel's only peer is stuck by itself.)
func named(x waiter, bs []int64) []int64 {
	var out []int64
	for _, b := range bs {
		if !slices.Contains(out, b) && (b != x.g.id || !x.w.inferred()) {
			out = append(out, b)
		}
	}
	return out
}

const inferredNote = "which goroutines could unblock a channel, WaitGroup or Cond wait is inferred from their past operations on it"

// blockedPending builds the report of a wait that lasted too long: the
// waiter, and the goroutines it waits for with what they hold and where they
// are now. snap is a goroutine dump taken since the wait was last seen: it
// tells which of the goroutines that operated on the object have exited.
func (d *Detector) blockedPending(kind report.Kind, wf *waitFor, x waiter, now time.Time, snap snapshot) *pending {
	blockers := named(x, wf.blockers(x))
	// The waiter first, once (it may hold the lock it waits for).
	ids := []int64{x.g.id}
	for _, b := range blockers {
		if b != x.g.id {
			ids = append(ids, b)
		}
	}
	waited := now.Sub(x.w.since)
	summary := fmt.Sprintf("goroutine %d has waited %s for %s", x.g.id, waited.Round(time.Millisecond), x.w.desc())
	if kind == report.LeakedWait {
		summary = fmt.Sprintf("goroutine %d is still blocked at the end of the test, waiting %s for %s", x.g.id, waited.Round(time.Millisecond), x.w.desc())
	}
	if len(blockers) > 0 {
		var bs []string
		for _, b := range blockers {
			bs = append(bs, fmt.Sprint(b))
		}
		summary += "; it waits for goroutine(s) " + strings.Join(bs, ", ")
	}
	p := &pending{kind: kind, summary: summary, gs: d.goroutinesOf(wf, ids), wait: waited, snapshot: true}
	if x.w.kind != waitLock {
		p.notes = append(p.notes, inferredNote)
		p.gs[0].note, p.stacks = d.objectHistory(x.w, snap)
	}
	return p
}

func (d *Detector) reportBlocked(wf *waitFor, x waiter, now time.Time, snap snapshot) {
	p := d.blockedPending(report.BlockedWait, wf, x, now, snap)
	p.waiter = &x
	d.sink.submit(p, false)
}

func (d *Detector) reportLeakedLock(x waiter, h *gstate, snap snapshot) {
	held := h.snapshotHeld()
	var mine []heldSnapshot
	for _, hs := range held {
		if hs.rec == x.w.rec {
			mine = append(mine, hs)
		}
	}
	d.sink.submit(&pending{
		kind: report.LeakedLock,
		summary: fmt.Sprintf("%s is still held by goroutine %d, which has exited (returned or panicked without Unlock); goroutine %d waits for it",
			x.w.rec.name(), h.id, x.g.id),
		gs:   []pendingG{{id: h.id, held: mine, state: "exited"}, {id: x.g.id, wait: x.w, held: x.g.snapshotHeld()}},
		snap: snap,
	}, false)
}
