package core

import (
	"fmt"
	"github.com/petermattis/goid"
	"maps"
	"slices"
	"sync"
	"time"
	"unsafe"

	"github.com/gridlock-go/gridlock/internal/report"
)

// groupRec is what gridlock knows of a WaitGroup.
type groupRec struct {
	mu      sync.Mutex // a leaf lock
	counter int64      // gridlock's mirror of the WaitGroup counter
	waiters int        // goroutines inside Wait
	adds    map[uintptr]*siteCount
	lastAdd *siteCount      // the last Add's site, found without the map
	goRuns  map[int64]goRun // goroutines started by WaitGroup.Go, or tasks, still running
	last    events          // recent Done calls
}

// goRun is a goroutine whose end, or Done, the WaitGroup waits for: one
// started by WaitGroup.Go, or a task (see GroupTaskStart).
type goRun struct {
	pcs  PCs // where it started
	task bool
}

type siteCount struct {
	pcs   PCs
	count int64
}

// event is one signal, broadcast or Done, for reports.
type event struct {
	g    int64
	what string
	pcs  PCs
	at   time.Time
}

const maxEvents = 8

// events are the most recent maxEvents events, in a ring: pushing one
// costs one copy of it (shifting the others cost a Done ~700 bytes moved).
type events struct {
	ring [maxEvents]event
	n    int // events pushed so far
}

func (es *events) push(e event) {
	es.ring[es.n%maxEvents] = e
	es.n++
}

// list returns the events, oldest first.
func (es *events) list() []event {
	if es.n <= maxEvents {
		return slices.Clone(es.ring[:es.n])
	}
	i := es.n % maxEvents
	return append(slices.Clone(es.ring[i:]), es.ring[:i]...)
}

func (d *Detector) group(st *State, self unsafe.Pointer, pcs *PCs) (*lockRec, *groupRec) {
	rec, _ := d.recFor(st, self, TypeWaitGroup, pcs)
	if gr := rec.grp.Load(); gr != nil {
		return rec, gr
	}
	rec.grp.CompareAndSwap(nil, &groupRec{adds: make(map[uintptr]*siteCount), goRuns: make(map[int64]goRun)})
	return rec, rec.grp.Load()
}

// GroupAdd records WaitGroup.Add(delta) before it is delegated, and reports
// a counter driven below zero or a reuse before a previous Wait returned.
// It waits for those reports to be written: sync panics next.
func (d *Detector) GroupAdd(st *State, self unsafe.Pointer, delta int, pcs *PCs, what string) {
	rec, gr := d.group(st, self, pcs)
	id := goid.Get()
	gr.mu.Lock()
	before := gr.counter
	gr.counter += int64(delta)
	after := gr.counter
	reuse := delta > 0 && before == 0 && gr.waiters > 0
	if delta > 0 {
		sc := gr.lastAdd
		if sc == nil || sc.pcs[0] != pcs[0] {
			sc = gr.adds[pcs[0]]
			if sc == nil {
				sc = &siteCount{pcs: *pcs}
				gr.adds[pcs[0]] = sc
			}
			gr.lastAdd = sc
		}
		sc.count += int64(delta)
	} else {
		gr.last.push(event{g: id, what: what, pcs: *pcs, at: time.Now()})
		if r, ok := gr.goRuns[id]; ok && r.task {
			delete(gr.goRuns, id) // its Done came
		}
	}
	var history []event
	if after < 0 {
		history = gr.last.list()
		gr.counter = 0
	}
	gr.mu.Unlock()
	switch {
	case after < 0:
		p := &pending{
			kind:    report.WaitGroupNeg,
			summary: fmt.Sprintf("%s counter goes negative (%d) by %s in goroutine %d: more Done calls than Add (sync panics next)", rec.name(), after, what, id),
			objects: []report.Object{rec.object()},
			stacks:  []pendingStack{{what + " that went below zero (goroutine " + fmt.Sprint(id) + ")", fullStack(2)}},
			actor:   id, snapshot: true,
		}
		for i := len(history) - 2; i >= 0 && i >= len(history)-4; i-- {
			e := history[i]
			p.stacks = append(p.stacks, pendingStack{fmt.Sprintf("earlier %s (goroutine %d, %s before)", e.what, e.g, time.Since(e.at).Round(time.Microsecond)), e.pcs[:trimPCs(e.pcs[:])]})
		}
		d.sink.submit(p, true)
	case reuse:
		d.sink.submit(&pending{
			kind:    report.WaitGroupReuse,
			summary: fmt.Sprintf("%s is reused (Add in goroutine %d) before a previous Wait has returned", rec.name(), id),
			objects: []report.Object{rec.object()},
			stacks:  []pendingStack{{"Add", fullStack(2)}},
			actor:   id, snapshot: true,
		}, true)
	}
}

// GroupGoStart and GroupGoEnd bracket a function run by WaitGroup.Go, in
// the new goroutine.
func (d *Detector) GroupGoStart(st *State, self unsafe.Pointer, pcs *PCs) {
	d.groupRun(st, self, goRun{pcs: *pcs})
}

// GroupTaskStart records that the calling goroutine will call Done on the
// WaitGroup once (a task: gridlock test marks the functions that call
// Done): until it does, or the function ends (GroupGoEnd), it is one of the
// goroutines a Wait waits for, as with WaitGroup.Go.
func (d *Detector) GroupTaskStart(st *State, self unsafe.Pointer, pcs *PCs) {
	d.groupRun(st, self, goRun{pcs: *pcs, task: true})
}

func (d *Detector) groupRun(st *State, self unsafe.Pointer, r goRun) {
	_, gr := d.group(st, self, &r.pcs)
	id := goid.Get()
	gr.mu.Lock()
	gr.goRuns[id] = r
	gr.mu.Unlock()
}

// GroupGoEnd is called when a WaitGroup.Go function returns.
func (d *Detector) GroupGoEnd(st *State, self unsafe.Pointer) {
	rec := st.rec.Load()
	if rec == nil {
		return
	}
	if gr := rec.grp.Load(); gr != nil {
		id := goid.Get()
		gr.mu.Lock()
		delete(gr.goRuns, id)
		gr.mu.Unlock()
	}
}

// GroupIdle reports whether gridlock's count of the WaitGroup whose State is
// st and whose address is self is zero: its Wait does not block, and there
// is nothing to record (the facade skips the stack capture). False when
// gridlock has no record of it yet.
func (d *Detector) GroupIdle(st *State, self unsafe.Pointer) bool {
	rec := st.own(d, self)
	if rec == nil {
		return false
	}
	gr := rec.grp.Load()
	if gr == nil {
		return false
	}
	gr.mu.Lock()
	idle := gr.counter == 0
	gr.mu.Unlock()
	return idle
}

// GroupWait records a WaitGroup.Wait that is about to block; the facade
// calls the returned function when Wait returns.
// It reports false, and records nothing, when gridlock's count says Wait
// will not block (the counter is zero): only waits that block are tracked.
func (d *Detector) GroupWait(st *State, self unsafe.Pointer, pcs *PCs) (WaitToken, bool) {
	rec, gr := d.group(st, self, pcs)
	gr.mu.Lock()
	if gr.counter == 0 {
		gr.mu.Unlock()
		return WaitToken{}, false
	}
	gr.waiters++
	gr.mu.Unlock()
	return d.beginObjWait(waitGroup, rec, pcs), true
}

// GroupWaitDone ends a wait begun by GroupWait.
func (d *Detector) GroupWaitDone(st *State, t WaitToken) {
	d.endWait(t.g, t.w)
	if rec := st.rec.Load(); rec != nil {
		if gr := rec.grp.Load(); gr != nil {
			gr.mu.Lock()
			gr.waiters--
			gr.mu.Unlock()
		}
	}
}

// condRec is what gridlock knows of a Cond.
type condRec struct {
	mu   sync.Mutex // a leaf lock
	last events     // recent Signal and Broadcast calls
}

func (d *Detector) cond(st *State, self unsafe.Pointer, pcs *PCs) (*lockRec, *condRec) {
	rec, _ := d.recFor(st, self, TypeCond, pcs)
	if cr := rec.cnd.Load(); cr != nil {
		return rec, cr
	}
	rec.cnd.CompareAndSwap(nil, &condRec{})
	return rec, rec.cnd.Load()
}

// CondSignal records a Signal or Broadcast.
func (d *Detector) CondSignal(st *State, self unsafe.Pointer, what string, pcs *PCs) {
	_, cr := d.cond(st, self, pcs)
	id := goid.Get()
	cr.mu.Lock()
	cr.last.push(event{g: id, what: what, pcs: *pcs, at: time.Now()})
	cr.mu.Unlock()
}

// CondWait records a Cond.Wait about to block; unlocked says the caller
// found that it does not hold the Cond's Locker, which is reported.
func (d *Detector) CondWait(st *State, self unsafe.Pointer, pcs *PCs, unlocked bool) WaitToken {
	rec, _ := d.cond(st, self, pcs)
	if unlocked {
		d.sink.submit(&pending{
			kind:    report.CondWaitUnlocked,
			summary: fmt.Sprintf("%s.Wait called by goroutine %d without holding the Cond's L (sync's Unlock of L fails next)", rec.name(), goid.Get()),
			objects: []report.Object{rec.object()},
			stacks:  []pendingStack{{"Wait", fullStack(2)}},
			actor:   goid.Get(), snapshot: true,
		}, true)
	}
	return d.beginObjWait(waitCond, rec, pcs)
}

// CondWaitDone ends a wait begun by CondWait.
func (d *Detector) CondWaitDone(t WaitToken) { d.endWait(t.g, t.w) }

// objPeers returns the goroutines that could end a wait on a WaitGroup or
// Cond, inferred: for a WaitGroup, the goroutines started by its Go method
// and still running, when they account for the whole counter; for a Cond,
// the goroutines that signalled it before. nil means unknown.
func (d *Detector) objPeers(rec *lockRec) []int64 {
	if o := rec.grp.Load(); o != nil {
		o.mu.Lock()
		defer o.mu.Unlock()
		if int64(len(o.goRuns)) < o.counter || len(o.goRuns) == 0 {
			return nil
		}
		var ids []int64
		for id := range o.goRuns {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		return ids
	}
	if o := rec.cnd.Load(); o != nil {
		o.mu.Lock()
		defer o.mu.Unlock()
		var ids []int64
		for _, e := range o.last.list() {
			if !slices.Contains(ids, e.g) {
				ids = append(ids, e.g)
			}
		}
		return ids
	}
	return nil
}

// objectHistory describes, for a blocked wait on a WaitGroup, Cond or
// channel, what gridlock saw happen to it; snap is a recent goroutine dump.
func (d *Detector) objectHistory(w *waitSnap, snap snapshot) (string, []pendingStack) {
	switch w.kind {
	case waitChan:
		return d.chanHistory(w, snap)
	case waitGroup, waitCond:
	default:
		return "", nil
	}
	var note string
	var stacks []pendingStack
	if o := w.rec.grp.Load(); o != nil {
		o.mu.Lock()
		note = fmt.Sprintf("counter is %d", o.counter)
		sites := make([]*siteCount, 0, len(o.adds))
		for _, sc := range o.adds {
			sites = append(sites, sc)
		}
		slices.SortFunc(sites, func(a, b *siteCount) int { return int(b.count - a.count) })
		for _, sc := range sites {
			stacks = append(stacks, pendingStack{fmt.Sprintf("Add call site (added %d in all)", sc.count), sc.pcs[:trimPCs(sc.pcs[:])]})
		}
		for _, id := range slices.Sorted(maps.Keys(o.goRuns)) {
			r := o.goRuns[id]
			label := fmt.Sprintf("goroutine %d started by WaitGroup.Go is still running; started at", id)
			if r.task {
				label = fmt.Sprintf("goroutine %d, which calls Done, has not yet; it started at", id)
			}
			stacks = append(stacks, pendingStack{label, r.pcs[:trimPCs(r.pcs[:])]})
		}
		if len(o.goRuns) < int(o.counter) {
			note += fmt.Sprintf("; %d Done call(s) never came", int(o.counter)-len(o.goRuns))
		}
		o.mu.Unlock()
	}
	if o := w.rec.cnd.Load(); o != nil {
		o.mu.Lock()
		if o.last.n == 0 {
			note = "nobody has signalled or broadcast this Cond"
		}
		for _, e := range o.last.list() {
			stacks = append(stacks, pendingStack{fmt.Sprintf("%s by goroutine %d, %s before the report", e.what, e.g, time.Since(e.at).Round(time.Millisecond)), e.pcs[:trimPCs(e.pcs[:])]})
		}
		o.mu.Unlock()
	}
	return note, stacks
}
