package core

import (
	"io"
	"testing"
	"time"

	"github.com/gridlock-go/gridlock/internal/config"
)

// quietDetector returns a detector that is not active, writes nothing and
// reports waits only after an hour, closed when t ends.
func quietDetector(t testing.TB) *Detector {
	d := New(Config{Settings: config.Settings{Enabled: true, Log: "off", Action: "log", Timeout: time.Hour}, Stderr: io.Discard})
	t.Cleanup(d.Close)
	return d
}

// TestPruneOnlyWhenGoroutinesExited checks that the registry takes a
// goroutine dump to forget exited goroutines only when some may have
// exited, and not sooner than the last dump's cost allows: one that grows
// with live goroutines is not dumped, one whose goroutines have exited is
// pruned once the spacing allows.
func TestPruneOnlyWhenGoroutinesExited(t *testing.T) {
	d := quietDetector(t)
	r := &d.reg
	settle := func() {
		for r.pruning.Load() {
			time.Sleep(time.Millisecond)
		}
	}
	const n = 3 * minPruneAt
	release := make(chan struct{})
	registered := make(chan struct{})
	for range n {
		go func() {
			r.current()
			registered <- struct{}{}
			<-release
		}()
	}
	for range n {
		<-registered
	}
	settle()
	if got := r.prunings.Load(); got != 0 {
		t.Errorf("registry of %d live goroutines: %d prunings, want 0", r.size.Load(), got)
	}

	close(release) // they exit
	// Not before the time the last pruning's cost sets.
	r.pruneNotBefore.Store(int64(time.Since(epoch) + time.Hour))
	for range n {
		done := make(chan struct{})
		go func() { r.current(); close(done) }()
		<-done
	}
	settle()
	if got := r.prunings.Load(); got != 0 {
		t.Errorf("registry doubled by exited goroutines within the spacing: %d prunings, want 0", got)
	}
	r.pruneNotBefore.Store(0)
	for r.prunings.Load() == 0 {
		done := make(chan struct{})
		go func() { r.current(); close(done) }()
		<-done
		settle()
	}
	if size := r.size.Load(); size >= n {
		t.Errorf("registry after its %d goroutines exited and a pruning: %d states, want fewer", n, size)
	}
}
