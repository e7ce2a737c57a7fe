//go:build !gridlock_off

package detect_test

import (
	"flag"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridlock-go/gridlock/chanwatch"
	"github.com/gridlock-go/gridlock/detect"
)

var soakFor = flag.Duration("soak", 3*time.Second, "how long TestSoak runs (10s or more for a real soak)")

// TestSoak runs 10,000 goroutines over 1,000 mutexes, RWMutexes, a
// WaitGroup per batch, Conds and channels, with random delays, all in a
// consistent lock order: there is no bug, so there must be no report, no
// stall and no growth of the detector's state beyond the live objects.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak")
	}
	d := detect.New(detect.WithLog(detect.LogOff)) // the default 30s timeout: waits under -race with 10,000 goroutines take seconds
	stopDetector := d.Start()
	defer func() { stopDetector(); d.Close() }()
	reports := d.Reports
	const (
		goroutines = 10000
		locks      = 1000
	)
	mus := make([]detect.Mutex, locks)
	rws := make([]detect.RWMutex, locks/10)
	var condMu detect.Mutex
	cond := detect.NewCond(&condMu)
	tokens := 0
	work := make(chan int, 64)
	var progress atomic.Int64
	stop := make(chan struct{})
	stopped := false
	defer func() {
		if !stopped {
			close(stop) // a failed soak must not leave its goroutines running under later tests
		}
	}()
	var all, consumers detect.WaitGroup

	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)

	// Channel consumers.
	for i := 0; i < 8; i++ {
		consumers.Go(func() {
			for v := range chanwatch.Range(work) {
				progress.Add(int64(v & 1))
			}
		})
	}
	// Cond producer.
	all.Go(func() {
		for {
			select {
			case <-stop:
				condMu.Lock()
				tokens = 1 << 30
				cond.Broadcast()
				condMu.Unlock()
				return
			case <-time.After(time.Millisecond):
			}
			condMu.Lock()
			tokens += 16
			cond.Broadcast()
			condMu.Unlock()
		}
	})
	for g := 0; g < goroutines; g++ {
		all.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 1))
			for {
				select {
				case <-stop:
					return
				default:
				}
				i, j := r.IntN(locks), r.IntN(locks)
				if i > j {
					i, j = j, i
				}
				switch pick(r) {
				case 0, 1: // nested, in index order
					mus[i].Lock()
					if i != j {
						mus[j].Lock()
						mus[j].Unlock()
					}
					mus[i].Unlock()
				case 2:
					rw := &rws[i%len(rws)]
					if r.IntN(4) == 0 {
						rw.Lock()
						rw.Unlock()
					} else {
						rw.RLock()
						rw.RUnlock()
					}
				case 3:
					var wg detect.WaitGroup
					for k := 0; k < 3; k++ {
						wg.Go(func() { mus[(i+k)%locks].Lock(); mus[(i+k)%locks].Unlock() })
					}
					wg.Wait()
				case 4:
					if r.IntN(2) == 0 {
						chanwatch.Send(work, i)
					} else {
						condMu.Lock()
						for tokens == 0 {
							cond.Wait()
						}
						tokens--
						condMu.Unlock()
					}
				}
				progress.Add(1)
				if r.IntN(100) == 0 {
					time.Sleep(time.Duration(r.IntN(200)) * time.Microsecond)
				}
			}
		})
	}
	deadline := time.Now().Add(*soakFor)
	last := progress.Load()
	for time.Now().Before(deadline) {
		// A stall is no progress at all for a whole second (machines
		// running several -race binaries at once are slow, not stalled).
		time.Sleep(time.Second)
		now := progress.Load()
		if now == last {
			t.Fatalf("no progress for 1s (stall) after %d operations", now)
		}
		last = now
	}
	close(stop)
	stopped = true
	finished := make(chan bool)
	go func() { all.Wait(); finished <- true }()
	select {
	case <-finished:
	case <-time.After(60 * time.Second):
		t.Fatal("goroutines did not finish within 60s of the stop")
	}
	close(work)
	consumers.Wait()
	if r := reports(); len(r) != 0 {
		for _, x := range r[:min(3, len(r))] {
			t.Log(detect.WriteText(tlog{t}, &x))
		}
		t.Fatalf("reports = %v, want none", kinds(r))
	}
	if err := d.CheckInvariants(); err != nil {
		t.Errorf("CheckInvariants() = %v, want nil", err)
	}
	// Drop the program's objects: gridlock's state must follow them out.
	statsBefore := d.Stats()
	mus, rws, cond = nil, nil, nil
	var after runtime.MemStats
	var st detect.Stats
	for i := 0; i < 50; i++ {
		runtime.GC()
		time.Sleep(20 * time.Millisecond) // cleanups run on their own goroutine
		if st = d.Stats(); st.Nodes < 10 {
			break
		}
	}
	kept := st.Goroutines
	d.PruneGoroutines() // every goroutine of the soak has exited
	runtime.GC()
	runtime.ReadMemStats(&after)
	st = d.Stats()
	t.Logf("%d goroutine states kept at the end, %d after pruning the exited ones", kept, st.Goroutines)
	t.Logf("%d operations; graph %d nodes / %d edges while running, %d / %d after; %d goroutine states; live heap %d KiB before, %d KiB after (spans in use %d KiB, %d KiB)",
		progress.Load(), statsBefore.Nodes, statsBefore.Edges, st.Nodes, st.Edges, st.Goroutines, before.HeapAlloc>>10, after.HeapAlloc>>10, before.HeapInuse>>10, after.HeapInuse>>10)
	if st.Nodes >= 10 || st.Edges >= 10 {
		t.Errorf("graph keeps %d nodes and %d edges of collected locks, want none", st.Nodes, st.Edges)
	}
	// gridlock keeps a state per goroutine that locked or waited (~640 B),
	// pruned when the registry has grown by half (up to about twice the
	// goroutines alive at once, which depends on scheduling); once the
	// exited ones are pruned, none of the soak's is left.
	if st.Goroutines > 100 {
		t.Errorf("%d goroutine states after pruning the exited goroutines, want at most 100", st.Goroutines)
	}
	// The live heap, after collections, then holds what the runtime keeps
	// (a descriptor per goroutine alive at the peak, ~10 MiB here, more
	// when a loaded machine lets short goroutines pile up) and nothing of
	// gridlock's that grows with the operations.
	if grow := int64(after.HeapAlloc) - int64(before.HeapAlloc); grow > 32<<20 {
		t.Errorf("live heap grew by %d MiB, want under 32 MiB once exited goroutines are pruned", grow>>20)
	}
}

// soakCases limits the kinds of operations TestSoak mixes (the first n), to
// narrow down a failure.
var soakCases = flag.Int("soakcases", 5, "TestSoak mixes the first n of its 5 kinds of operations")

func pick(r *rand.Rand) int { return r.IntN(*soakCases) }
