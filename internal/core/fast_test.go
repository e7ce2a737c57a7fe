package core

import (
	"flag"
	"runtime"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/petermattis/goid"
)

var fastDuration = flag.Duration("fast.duration", time.Second, "how long TestFastPathSnapshotsWhole runs")

// fastMu is a Mutex facade as detect's (its Lock and Unlock, gridlock on).
type fastMu struct {
	mu sync.Mutex
	st State
}

//go:noinline
func (m *fastMu) lock(d *Detector) {
	var op Op
	switch d.LockFast(&op, &m.st, unsafe.Pointer(m), ModeWrite, &m.mu, nil) {
	case Locked:
		return
	case MustWait:
	default:
		Capture(op.PCs())
		d.BeforeLock(&op, &m.st, unsafe.Pointer(m), TypeMutex, ModeWrite)
		if m.mu.TryLock() {
			d.Acquired(&op)
			return
		}
	}
	d.Wait(&op)
	m.mu.Lock()
	d.Acquired(&op)
}

//go:noinline
func (m *fastMu) unlock(d *Detector) {
	if d.UnlockFast(&m.st, unsafe.Pointer(m), ModeWrite, &m.mu, nil) {
		return
	}
	u, _ := d.BeginRelease(&m.st, ModeWrite)
	m.mu.Unlock()
	var pcs PCs
	CaptureShort(&pcs)
	d.EndRelease(u, &pcs)
}

//go:noinline
func deepCall(n int, f func()) {
	if n == 0 {
		f()
		return
	}
	deepCall(n-1, f)
}

// A lock taken by LockFast on a shallow stack, in a slot a deeper
// acquisition used before, has only its own return addresses.
func TestLockFastClearsStaleStack(t *testing.T) {
	d := quietDetector(t)
	var m fastMu
	var got []uintptr
	done := make(chan struct{})
	go func() {
		defer close(done)
		deepCall(8, func() { m.lock(d); m.unlock(d) })
		m.lock(d) // the fast path: the record exists, nothing else is held
		got = d.reg.current().snapshotHeld()[0].pcs
		m.unlock(d)
	}()
	<-done
	var fns []string
	frames := runtime.CallersFrames(got)
	for {
		f, more := frames.Next()
		fns = append(fns, f.Function)
		if !more {
			break
		}
	}
	if len(fns) != 2 || fns[1] != "runtime.goexit" {
		t.Errorf("held stack = %v, want the goroutine's function and runtime.goexit", fns)
	}
}

// lockSiteA and lockSiteB take a lock from sites of their own.
//
//go:noinline
func lockSiteA(d *Detector, m *fastMu) { m.lock(d) }

//go:noinline
func lockSiteB(d *Detector, m *fastMu) { m.lock(d) }

// One goroutine locks and unlocks through the fast paths (with dropTop's
// release store) while another snapshots its held list: every entry is a
// lock the goroutine takes, with that lock's own site.
func TestFastPathSnapshotsWhole(t *testing.T) {
	d := quietDetector(t)
	var a, b fastMu
	stop := make(chan struct{})
	ready := make(chan *gstate)
	sites := make(map[*lockRec]uintptr)
	go func() {
		g := d.reg.current()
		for range 3 { // the edge a→b becomes known: later locks go fast
			lockSiteA(d, &a)
			lockSiteB(d, &b)
			b.unlock(d)
			a.unlock(d)
		}
		lockSiteA(d, &a)
		lockSiteB(d, &b)
		for _, h := range g.snapshotHeld() {
			sites[h.rec] = h.pcs[0]
		}
		b.unlock(d)
		a.unlock(d)
		ready <- g
		for {
			select {
			case <-stop:
				close(ready)
				return
			default:
			}
			for range 1000 {
				lockSiteA(d, &a)
				lockSiteB(d, &b)
				b.unlock(d)
				a.unlock(d)
			}
		}
	}()
	g := <-ready
	if len(sites) != 2 {
		t.Fatalf("held entries of a and b = %d, want 2", len(sites))
	}
	reads := 0
	for deadline := time.Now().Add(*fastDuration); time.Now().Before(deadline); reads++ {
		for _, h := range g.snapshotHeld() {
			if site, ok := sites[h.rec]; !ok || len(h.pcs) == 0 || h.pcs[0] != site {
				t.Fatalf("snapshotHeld() entry %+v after %d reads, want a or b, each with its site", h, reads)
			}
		}
	}
	close(stop)
	<-ready
}

// A contended Lock spins before it records a wait only where the holder
// can run meanwhile: more than one CPU and more than one P.
func TestSpinOnlyWithPs(t *testing.T) {
	d := quietDetector(t)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	d.checkSpin()
	if d.spin.Load() {
		t.Errorf("spin with GOMAXPROCS=1 = true, want false")
	}
	if runtime.NumCPU() > 1 {
		runtime.GOMAXPROCS(2)
		d.checkSpin()
		if !d.spin.Load() {
			t.Errorf("spin with GOMAXPROCS=2 on %d CPUs = false, want true", runtime.NumCPU())
		}
	}
}

// gOf returns the calling goroutine's runtime g (nil off amd64 and arm64).
func gOf() unsafe.Pointer {
	_, gp := fpWalk(nil, 0, 0)
	return gp
}

// goidOf reads the id goid.Get gives, in any goroutine; on amd64 and arm64
// (without the race detector) from the runtime's g found at start.
func TestGoidOf(t *testing.T) {
	quietDetector(t) // finds goidOff
	if !raceEnabled && (runtime.GOARCH == "amd64" || runtime.GOARCH == "arm64") && goidOff == 0 {
		t.Errorf("goidOff = 0, want the id's offset in the runtime's g found")
	}
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got, want := goidOf(gOf()), goid.Get(); got != want {
				t.Errorf("goidOf(gOf()) = %d, want goid.Get() = %d", got, want)
			}
		}()
	}
	wg.Wait()
}
