package core

import (
	"slices"

	"github.com/gridlock-go/gridlock/lockgraph"
)

// Hand-offs. Go's locks are not owned: a goroutine may lock and let
// another goroutine unlock (prometheus' summary.Observe takes its flush
// lock under its buffer lock, starts the flushing goroutine, which unlocks
// it when done, and returns, unlocking the buffer lock). Until that unlock,
// gridlock sees the first goroutine holding the flush lock: the next
// Observe would then add the edge flush → buffer, closing a false cycle
// with the first one, and lock the flush lock "again".
//
// The sign gridlock goes by is the goroutine unlocking a lock it took
// before one it still holds: that hold is marked escaped (see
// gstate.clear), since its critical section does not nest in the ones
// around it. An escaped hold is not reported as a double lock when the
// goroutine locks it again (the wait is left to the watchdog, which calls
// it a deadlock if nobody unlocks), and the edges out of it are kept aside
// (tentative) until the goroutine unlocks it itself, which shows it was
// not handed off: they are then added to the graph, and a cycle they close
// is reported (from the unlock). An unlock by another goroutine drops them.
// A real inversion through an escaped hold is thus still reported, later;
// one through a hold the goroutine never lets go of itself is not.

// maxTentative bounds the tentative edges of a goroutine; past it, edges
// go to the graph at once.
const maxTentative = 32

// holdTentative keeps aside the edge from the escaped held entry e to the
// lock of op. Called by the owner, from BeforeLock.
func (d *Detector) holdTentative(op *Op, e *heldEntry) {
	g := op.g
	for i := range g.tentative {
		if t := &g.tentative[i]; t.from == e.rec && t.to == op.rec {
			return // kept already: the first sighting's stacks stand
		}
	}
	if len(g.tentative) >= maxTentative {
		d.newEdge(op, e)
		return
	}
	var buf [8]lockgraph.Node
	s := sightOf(op, e)
	s.toStack = edgeStack(2)
	s.gates = slices.Clone(g.gates(d, e.rec, op.rec, buf[:0]))
	g.tentative = append(g.tentative, s)
}

// dropTentative forgets the tentative edges out of rec: another goroutine
// unlocked it. Called by the owner.
func (g *gstate) dropTentative(rec *lockRec) {
	g.tentative = slices.DeleteFunc(g.tentative, func(t edgeSight) bool { return t.from == rec })
}

// commitTentative adds to the graph the tentative edges out of rec, which
// the calling goroutine g has unlocked itself, reporting the cycles they
// close.
func (d *Detector) commitTentative(g *gstate, rec *lockRec) {
	var out []edgeSight
	g.tentative = slices.DeleteFunc(g.tentative, func(t edgeSight) bool {
		if t.from == rec {
			out = append(out, t)
			return true
		}
		return false
	})
	for i := range out {
		d.sightEdge(&out[i], out[i].gates)
	}
}
