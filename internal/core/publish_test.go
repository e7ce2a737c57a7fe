package core

import (
	"flag"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/gridlock-go/gridlock/internal/config"
)

var (
	publishDuration = flag.Duration("publish.duration", time.Second, "how long TestPublishProtocol runs")
	publishReaders  = flag.Int("publish.readers", 3, "TestPublishProtocol's raw readers")
	publishGap      = flag.Int("publish.gap", 2000, "TestPublishProtocol's busy gap between reads (loop iterations)")
)

// TestPublishProtocol hammers the protocol of gstate (owner writes,
// readers copy; raising stores are release stores on amd64): one owner
// doing pushes and pops (fast and mu paths), foreign removals, lock waits,
// Cond.Wait-shaped nested waits, channel waits left stale and replaced by
// beginWait; several raw readers following the protocol, with a busy gap
// between reads so that the owner often finds no reader announced and takes
// its fast paths; and a reader through snapshotHeld, loadWait and inWait.
// Every held entry carries (generation, lock) in every return address and
// every wait's contents follow from its seq. The readers check: entries
// consistent, no lock twice, per slot the generation never goes backwards
// (no stale contents), waits consistent with their seq, per wait slot the
// seq never goes backwards. The owner takes an atomic read-modify-write
// before each push, as taking the real lock does: without it, dropTop's
// release store is caught by longer runs (-publish.duration=30s: 10-40 s);
// a pop that also skips the handshake, or a wait begun without checking
// readers, at once.
func TestPublishProtocol(t *testing.T) {
	dur, nreaders, gap := *publishDuration, *publishReaders, *publishGap
	var sink atomic.Uint64
	pause := func(x *uint64) { // a busy gap between reads, so that readers is often 0
		*x = *x*6364136223846793005 + 1442695040888963407
		m := int(*x>>33) % (gap + 1)
		acc := uint64(0)
		for i := 0; i < m; i++ {
			acc += uint64(i) * *x
		}
		sink.Add(acc & 1)
	}
	d := New(Config{Settings: config.Settings{Enabled: true, Log: "off", Action: "log", Timeout: time.Hour}, Stderr: io.Discard})
	defer d.Close()
	g := newGState(1)

	const nheld = 5
	const iF, iL, iC = nheld, nheld + 1, nheld + 2 // foreign, cond's L, cond
	const nrec = nheld + 3
	var recs [nrec]*lockRec
	modes := [nrec]uint32{}
	for k := range recs {
		recs[k] = &lockRec{det: d, lockMeta: lockMeta{typ: TypeMutex, seq: uint64(k + 1)}}
		modes[k] = modeWrite
	}
	modes[iF] = modeRead
	index := func(r *lockRec) int { return int(r.seq) - 1 }
	const nch = 3
	var chs [nch]*ChanRec
	for i := range chs {
		chs[i] = &ChanRec{}
	}
	const genMask = uint64(^uintptr(0) >> 12) // the generation bits of a return address
	mkpcs := func(gen uint64, k int) (p PCs) {
		for i := range p {
			p[i] = uintptr(gen<<12 | uint64(k)<<4 | uint64(i))
		}
		return
	}
	var gen uint64
	var lockWord atomic.Int32
	push := func(k int) {
		gen++
		p := mkpcs(gen, k)
		lockWord.Add(1) // taking the real lock: push's contract (see dropTop)
		g.push(recs[k], unsafe.Pointer(recs[k]), modes[k], &p)
	}
	// wait contents as a function of its seq
	type wspec struct {
		kind waitKind
		k    int // rec index or chan index
	}
	var bad atomic.Value
	fail := func(f string, a ...any) { bad.CompareAndSwap(nil, fmt.Sprintf(f, a...)) }
	begin := func(kind waitKind, k int) *waitRec {
		seq := g.waits.Load() + 1
		p := mkpcs(seq, k)
		p[0] = uintptr(kind)
		if kind == waitChan { // a send's or receive's (beginWait when nested)
			return d.beginOpWait(g, chs[k], seq%2 == 0, &p)
		}
		return d.beginWait(g, kind, recs[k], modes[k], &p, nil)
	}
	acquired := func(w *waitRec, k int) { // Detector.Acquired
		if w != nil {
			g.depth = w.depth - 1
		}
		push(k)
	}
	pop := func(k int) {
		if !g.pop(recs[k], modes[k]) && k != iF {
			fail("pop did not find rec %d", k)
		}
	}

	var stop atomic.Bool
	var wg sync.WaitGroup
	// loop runs step in a goroutine of its own until the test stops or
	// fails; x is the goroutine's pseudo-random state for pause.
	loop := func(seed uint64, step func(x *uint64)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for x := seed; !stop.Load() && bad.Load() == nil; {
				step(&x)
			}
		}()
	}
	var rounds, foreign atomic.Int64
	round := 0
	loop(0, func(*uint64) { // owner
		depth := 1 + round%4
		at := func(slot int) int { return (slot + round) % nheld }
		for slot := 0; slot < depth; slot++ {
			push(at(slot))
		}
		withF := round%2 == 0
		if withF {
			push(iF)
		}
		switch round % 5 {
		case 0: // lock that waits
			k := at(depth)
			w := begin(waitLock, k)
			acquired(w, k)
			pop(k)
		case 1: // Cond.Wait: cond wait, unlock L, re-lock L waiting, end
			push(iL)
			c := begin(waitCond, iC)
			pop(iL)
			w := begin(waitLock, iL)
			acquired(w, iL)
			d.endWait(g, c)
			pop(iL)
		case 2: // chan wait left published (panicked), replaced later
			begin(waitChan, round%nch)
		case 4: // chan waits ended, back to back: a reader of one may still copy it as the next is written
			for i := range 3 {
				w := begin(waitChan, (round+i)%nch)
				d.endWait(g, w)
			}
		case 3: // Cond.Wait whose L re-lock does not wait, replacing the stale chan wait; a chan wait inside left stale
			push(iL)
			c := begin(waitCond, iC)
			pop(iL)
			acquired(nil, iL)
			begin(waitChan, round%nch) // left published inside the cond wait
			d.endWait(g, c)
			pop(iL)
		}
		if withF {
			pop(iF)
		}
		for slot := depth - 1; slot >= 0; slot-- {
			pop(at(slot))
		}
		rounds.Add(1)
		round++
	})
	loop(99, func(x *uint64) { // foreign remover
		pause(x)
		pause(x)
		if g.removeForeign(recs[iF], modeRead) {
			foreign.Add(1)
		}
	})
	checkWait := func(w *waitRec, j int) {
		seq := w.seq
		if seq == 0 {
			fail("published wait with seq 0")
			return
		}
		if w.depth != j+1 {
			fail("wait slot %d depth %d", j, w.depth)
		}
		p := w.pcs
		kind := waitKind(p[0])
		if kind != w.kind {
			fail("wait kind %d, pcs say %d (seq %d)", w.kind, kind, seq)
			return
		}
		k := int(p[1]>>4) & 0xff
		for i := 1; i < nPCs; i++ {
			if p[i] != uintptr(seq<<12|uint64(k)<<4|uint64(i)) {
				fail("wait seq %d: pc %d = %x (stale or torn)", seq, i, p[i])
				return
			}
		}
		switch w.kind {
		case waitChan:
			if w.rec != nil || len(w.chans) != 1 || w.chans[0].Ch != chs[k] || w.chans[0].Send != (seq%2 == 0) {
				fail("chan wait seq %d inconsistent", seq)
			}
		default:
			if w.rec != recs[k] || w.mode != modes[k] || len(w.chans) != 0 {
				fail("wait seq %d rec/mode inconsistent", seq)
			}
		}
	}
	for r := 0; r < nreaders; r++ {
		var lastGen [16]uint64
		var lastSeq [maxWaitDepth]uint64
		loop(uint64(r+1), func(x *uint64) { // raw reader
			pause(x)
			g.lockForRead()
			st := g.state.Load()
			n, depth := int(uint32(st)), int(st>>32)
			if n > len(g.held) || depth > maxWaitDepth {
				fail("state n=%d depth=%d len=%d", n, depth, len(g.held))
			}
			var seen [nrec]bool
			for i := 0; i < n && i < len(g.held); i++ {
				e := &g.held[i]
				rec := e.rec
				if rec == nil {
					continue
				}
				k := index(rec)
				if seen[k] {
					fail("rec %d twice", k)
				}
				seen[k] = true
				// dropTop clears the top entry without mu once n is
				// lowered: a reader that loaded the higher n may see its
				// self cleared before its rec (snapshotHeld reads no self).
				if self := e.self; self != nil && self != unsafe.Pointer(rec) || e.mode != modes[k] {
					fail("entry %d self/mode not its rec's", i)
				}
				gen := uint64(e.pcs[0] >> 12)
				for j, pc := range e.pcs {
					if pc != uintptr(gen<<12|uint64(k)<<4|uint64(j)) {
						fail("entry %d pcs torn: %x", i, e.pcs)
						break
					}
				}
				if i < len(lastGen) {
					// A return address has room for 20 bits of generation
					// on 32-bit machines: there it wraps, and a reader that
					// was not scheduled for a while sees it move forward by
					// most of the range. A stale entry is one a few pushes
					// old: a step back of less than a sixteenth of it.
					if back := (lastGen[i] - gen) & genMask; gen != lastGen[i] && back < genMask/16 {
						fail("slot %d: gen %d after gen %d (stale)", i, gen, lastGen[i])
					}
					lastGen[i] = gen
				}
			}
			for j := 0; j < depth && j < maxWaitDepth; j++ {
				w := &g.slots[j]
				checkWait(w, j)
				if w.seq < lastSeq[j] {
					fail("wait slot %d: seq %d after %d (stale)", j, w.seq, lastSeq[j])
				}
				lastSeq[j] = w.seq
			}
			if depth == 2 && (g.slots[0].kind != waitCond || g.slots[1].seq <= g.slots[0].seq) {
				fail("depth 2 without a cond wait below")
			}
			g.unlockForRead()
		})
	}
	loop(77, func(x *uint64) { // API reader
		pause(x)
		for _, h := range g.snapshotHeld() {
			k := index(h.rec)
			if h.mode != modes[k] || len(h.pcs) != nPCs || int(h.pcs[1]>>4)&0xff != k {
				fail("snapshot entry inconsistent")
			}
		}
		if s := g.loadWait(); s != nil {
			g.inWait(s)
		}
	})
	time.Sleep(dur)
	stop.Store(true)
	wg.Wait()
	t.Logf("rounds %d, foreign removals %d", rounds.Load(), foreign.Load())
	if msg := bad.Load(); msg != nil {
		t.Fatal(msg)
	}
}
