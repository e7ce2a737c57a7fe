package core

import (
	"io"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/gridlock-go/gridlock/internal/config"
)

// TestPublishProtocol hammers one goroutine's state with the owner's
// pushes, pops and waits (raising stores are release stores on amd64, see
// gstate) while readers copy it, and checks that every copy is consistent:
// each held entry and each wait carries the return addresses written with
// its lock (a slot gets another lock every round), the entries are in the
// owner's order, and no entry is ever seen above what the owner pushed. A torn or early read shows up as a
// mismatch.
func TestPublishProtocol(t *testing.T) {
	d := New(Config{Settings: config.Settings{Enabled: true, Log: "off", Action: "log", Timeout: time.Hour}, Stderr: io.Discard})
	defer d.Close()
	g := newGState(1)
	const nrec = 3
	var recs [nrec]*lockRec
	var pcs [nrec]PCs
	for k := range recs {
		recs[k] = &lockRec{det: d, lockMeta: lockMeta{typ: TypeMutex, seq: uint64(k + 1)}}
		for i := range pcs[k] {
			pcs[k][i] = uintptr((k+1)*100 + i + 1)
		}
	}
	index := func(r *lockRec) int { return int(r.seq) - 1 }

	var stop atomic.Bool
	var bad atomic.Value
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the owner
		defer wg.Done()
		for round := 0; !stop.Load(); round++ {
			// Each slot gets another lock from one round to the next.
			depth := 1 + round%nrec
			at := func(slot int) int { return (slot + round) % nrec }
			for slot := 0; slot < depth; slot++ {
				k := at(slot)
				g.push(recs[k], unsafe.Pointer(recs[k]), modeWrite, &pcs[k])
			}
			k := at(round)
			w := d.beginWait(g, waitLock, recs[k], modeWrite, &pcs[k], nil)
			d.endWait(g, w)
			for slot := depth - 1; slot >= 0; slot-- {
				if !g.pop(recs[at(slot)], modeWrite) {
					bad.Store("pop did not find its own top entry")
					return
				}
			}
		}
	}()
	for range 2 {
		wg.Add(1)
		go func() { // readers
			defer wg.Done()
			for !stop.Load() {
				held := g.snapshotHeld()
				if len(held) > nrec {
					bad.Store("more entries than the owner holds")
					return
				}
				for i, h := range held {
					k := index(h.rec)
					if i > 0 && k != (index(held[0].rec)+i)%nrec {
						bad.Store("entries out of the owner's order")
						return
					}
					for j, pc := range h.pcs {
						if pc != pcs[k][j] {
							bad.Store("an entry's return addresses are another entry's")
							return
						}
					}
				}
				if w := g.loadWait(); w != nil {
					if w.rec == nil || w.pcs != pcs[index(w.rec)] {
						bad.Store("a wait's return addresses are another wait's")
						return
					}
				}
			}
		}()
	}
	time.Sleep(time.Second)
	stop.Store(true)
	wg.Wait()
	if msg := bad.Load(); msg != nil {
		t.Fatal(msg)
	}
}
