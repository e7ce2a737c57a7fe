package core

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/gridlock-go/gridlock/internal/report"
)

// queueSize bounds the reports waiting for the sink; more are dropped and
// counted.
const queueSize = 256

// sink builds and writes reports on a goroutine of its own, so that a slow
// or stuck log destination never blocks a Lock.
type sink struct {
	d     *Detector
	queue chan *pending

	total   atomic.Int64
	dropped atomic.Int64

	running atomic.Bool
	closed  atomic.Bool
	exiting bool // set by the sink goroutine before a fatal exit
	// idleExit is set when a fatal blocked-wait report waits to exit until
	// the program does nothing else (see quiescent); the watchdog asks the
	// sink to look again (exitCheck).
	idleExit  atomic.Bool
	idleWaits []waiter     // the waits of those reports; sink goroutine only
	dumpCost  atomic.Int64 // of the last dump for an idle check, in ns

	mu          sync.Mutex // guards the fields below; a leaf lock
	byKey       map[string]int
	raw         map[uint64]*rawCause // causes submitted, by rawKey
	list        []report.Report
	overflow    int64 // distinct reports not kept because MaxReports was hit
	lastDropped int64
	flushes     []chan struct{}
	written     int // the counts in list when the files were last written (see tally)
}

func newSink(d *Detector) *sink {
	return &sink{
		d:     d,
		queue: make(chan *pending, queueSize),
		byKey: make(map[string]int),
		raw:   make(map[uint64]*rawCause),
	}
}

// rawCause is a cause submitted before: key is its report's key once the
// sink has built it, extra the repeats submitted before that.
type rawCause struct {
	key   string
	extra int
}

// maxRawCauses bounds the causes remembered at submission; past it, repeats
// are queued and deduplicated when built, as before.
const maxRawCauses = 4096

// repeat reports whether p has the cause of a report submitted before, and
// then counts it in that report. Repeats are not queued (a loop repeating
// one misuse would fill the queue with copies and push out other reports),
// except one that must be written before the program goes on while the
// first is not written yet.
func (s *sink) repeat(p *pending) bool {
	k, ok := p.rawKey()
	if !ok {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, seen := s.raw[k]
	switch {
	case !seen:
		if len(s.raw) < maxRawCauses {
			p.raw, p.hasRaw = k, true
			s.raw[k] = &rawCause{}
		}
		return false
	case c.key == "":
		if p.done != nil {
			return false
		}
		c.extra++
	default:
		if i, ok := s.byKey[c.key]; ok {
			s.list[i].Count++
		}
	}
	return true
}

// ensure starts the sink goroutine if it is not running. It runs only
// while there are reports to write: a program that is not reporting has no
// gridlock goroutine (so goleak stays quiet).
func (s *sink) ensure() {
	if s.running.CompareAndSwap(false, true) {
		go s.loop()
	}
}

// submit hands a report to the sink. With wait, it returns once the report
// is written (or after a few seconds if the sink is stuck): the caller is
// about to block forever or crash.
func (s *sink) submit(p *pending, wait bool) {
	s.total.Add(1)
	if wait || s.d.settings.Action != "log" {
		p.done = make(chan struct{})
	}
	if s.repeat(p) {
		if p.done != nil {
			s.act(p) // written already
		}
		return
	}
	select {
	case s.queue <- p:
		s.ensure()
	default:
		s.dropped.Add(1)
		if p.hasRaw { // never built: a later repeat must be queued
			s.mu.Lock()
			delete(s.raw, p.raw)
			s.mu.Unlock()
		}
		s.ensure()
		return
	}
	if p.done != nil {
		select {
		case <-p.done:
		case <-time.After(5 * time.Second):
		}
		s.act(p)
	}
}

// act does what action= says after a report is written, in the goroutine
// that made it (a user goroutine, or the watchdog's for what it finds).
func (s *sink) act(p *pending) {
	switch s.d.settings.Action {
	case "panic":
		panic("gridlock: " + string(p.kind) + ": " + p.summary)
	case "exit":
		s.d.cfg.Exit(3)
	}
}

func (s *sink) flush() {
	if s.closed.Load() {
		return
	}
	ch := make(chan struct{})
	timeout := time.NewTimer(10 * time.Second)
	defer timeout.Stop()
	for queued := false; !queued; {
		select {
		case s.queue <- &pending{done: ch}:
			queued = true
		case <-timeout.C:
			return // a stuck report function: give up, never block for good
		case <-time.After(time.Millisecond):
		}
		s.ensure()
	}
	select {
	case <-ch:
	case <-timeout.C:
	}
}

func (s *sink) close() {
	s.flush()
	s.closed.Store(true)
}

// drain writes the reports already queued, for a little while at most:
// the process is about to exit.
func (s *sink) drain() {
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case p := <-s.queue:
			s.handle(p)
		default:
			return
		}
	}
}

// loop writes the queued reports and returns when the queue is empty.
func (s *sink) loop() {
	for {
		select {
		case p := <-s.queue:
			s.handle(p)
			continue
		default:
		}
		s.running.Store(false)
		// A report queued after the check above found the loop still
		// running and started none: take it unless another loop did.
		if len(s.queue) == 0 || !s.running.CompareAndSwap(false, true) {
			return
		}
	}
}

func (s *sink) handle(p *pending) {
	defer func() {
		// A panicking logger must not take the program down with it.
		if e := recover(); e != nil {
			fmt.Fprintf(s.d.cfg.Stderr, "gridlock: writing a report failed: %v\n", e)
		}
		if p.done != nil {
			close(p.done)
		}
	}()
	if p.exitCheck {
		if s.idleExit.Load() && !s.exiting {
			s.idleWaits = slices.DeleteFunc(s.idleWaits, func(x waiter) bool { return !x.g.inWait(x.w) })
			if len(s.idleWaits) == 0 {
				s.idleExit.Store(false) // the waits reported have ended
				return
			}
			start := time.Now()
			snap := takeSnapshot()
			s.dumpCost.Store(int64(time.Since(start)))
			if quiescent(snap) {
				s.exitFatal(report.BlockedWait)
				return
			}
			// The tracked waits have not changed since the last check (the
			// watchdog asks only then). A wait blocked for three timeouts
			// without that changing is a hang even if some goroutine
			// still sleeps or runs (a poller beside a hang would
			// otherwise keep the binary up to go test's -timeout), unless
			// a goroutine it waits for is the one that runs (a WaitGroup's
			// tasks at work for longer than that).
			oldest := slices.MinFunc(s.idleWaits, func(a, b waiter) int { return a.w.since.Compare(b.w.since) })
			if time.Since(oldest.w.since) >= 3*s.d.settings.Timeout && !s.peersMoving(snap) {
				s.exitFatal(report.BlockedWait)
			}
		}
		return
	}
	if p.kind == "" { // a flush marker
		s.reportDrops()
		s.writeFiles()
		return
	}
	snap := p.snap
	if snap == nil && p.snapshot {
		snap = takeSnapshot()
	}
	r := s.d.build(p, snap)
	if !s.add(&r) {
		s.markWritten(p, r.Key())
		s.writeFiles() // with the new count
		return
	}
	s.emit(&r)
	s.reportDrops()
	s.writeFiles()
	s.markWritten(p, r.Key())
	fatal := slices.Contains(s.d.settings.Fatal, string(r.Kind))
	if fatal && !s.exiting {
		if r.Kind == report.BlockedWait && p.waiter != nil {
			// A long wait while the rest of the program still works is
			// reported, not a hang: exit once the program has stopped
			// moving and nothing else runs (see checkIdleExit).
			s.idleWaits = append(s.idleWaits, *p.waiter)
			s.idleExit.Store(true)
			return
		}
		s.exitFatal(r.Kind)
	}
	// action=panic|exit is carried out by submit, in the goroutine that
	// made the report, once this report is written.
}

// exitFatal writes what is queued and exits with status 3 after a fatal
// report of kind k. It runs on the sink goroutine.
func (s *sink) exitFatal(k report.Kind) {
	s.exiting = true
	s.drain() // the reports already queued are written too
	s.writeFiles()
	fmt.Fprintf(s.d.cfg.Stderr, "gridlock: exiting with status 3 after a %s report (fatal=%s): the program, or the rest of the tests, did not run to the end\n",
		k, strings.Join(s.d.settings.Fatal, "+"))
	s.d.cfg.Exit(3)
}

// checkIdleExit asks the sink to exit now if a fatal blocked-wait report
// waits for the program to do nothing else and it does. The watchdog calls
// it about once a second while there are waits (a dump stops the world).
func (s *sink) checkIdleExit() {
	if !s.idleExit.Load() || s.closed.Load() {
		return
	}
	select {
	case s.queue <- &pending{exitCheck: true}:
		s.ensure()
	default: // full: the next look asks again
	}
}

// peersMoving reports whether a goroutine that one of the idle waits waits
// for (a lock's holder, a WaitGroup's task, a channel's peer), directly or
// through the waits of those (tasks queued on a lock whose holder works),
// is not parked in snap: the program may still be working towards ending
// it.
func (s *sink) peersMoving(snap snapshot) bool {
	wf := s.d.buildWaitFor(s.d.waiters())
	seen := map[int64]bool{}
	var next []int64
	for _, x := range s.idleWaits {
		seen[x.g.id] = true
		next = append(next, wf.blockers(x)...)
	}
	for len(next) > 0 {
		b := next[len(next)-1]
		next = next[:len(next)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		if g, ok := snap[b]; ok && g.moving() {
			return true
		}
		if x, waiting := wf.waiting[b]; waiting {
			next = append(next, wf.blockers(x)...)
		}
	}
	return false
}

// quiescent reports whether, in snap, every goroutine but gridlock's own
// is parked on a channel, a select or a sync primitive: none is running,
// runnable, sleeping, in a system call, waiting for I/O or in any other
// state, so nothing can make progress but a timer, and the program (or
// the test binary) is hung. The signal loop of os/signal, always in a
// system call, does not count. (An idle server's accept loop waits for
// I/O: a hang with one is left to go test's -timeout, before which
// VerifyTestMain reports every wait still blocked; a program at work is
// never stopped.)
func quiescent(snap snapshot) bool { return !moving(snap, nil) }

// Busy reports whether a goroutine not in old is still moving: it may yet
// block in a tracked wait, as goleak's retries wait for. gridlock's own
// goroutines and the caller do not count.
func Busy(old map[int64]bool) bool { return moving(takeSnapshot(), old) }

// moving reports whether a goroutine of snap that is not in old, nor
// gridlock's own or the signal loop, is not parked (see quiescent).
func moving(snap snapshot, old map[int64]bool) bool {
	for id, g := range snap {
		if !old[id] && g.moving() && !ownOrSignal(g.stack) {
			return true
		}
	}
	return false
}

// moving reports whether the goroutine is not parked, or parked in
// gridlock's own bookkeeping (on the lock-order graph's mutex, say, which a
// program that takes many new locks at once queues on): it is then in the
// middle of a tracked operation, not waiting for another goroutine.
func (g *gdump) moving() bool {
	state, _, _ := strings.Cut(g.state, ",")
	if !parked(state) {
		return true
	}
	return slices.ContainsFunc(g.stack, func(f report.Frame) bool {
		return strings.HasPrefix(f.Function, "github.com/gridlock-go/gridlock/internal/core.")
	})
}

// parked reports whether a goroutine dump's state is a wait for another
// goroutine: a channel, a select, a sync primitive.
func parked(state string) bool {
	return strings.HasPrefix(state, "chan ") || strings.HasPrefix(state, "select") ||
		strings.HasPrefix(state, "sync.") || strings.HasPrefix(state, "semacquire")
}

func ownOrSignal(s report.Stack) bool {
	for _, f := range s {
		if strings.HasPrefix(f.Function, "github.com/gridlock-go/gridlock/internal/core.(*sink)") ||
			strings.HasPrefix(f.Function, "github.com/gridlock-go/gridlock/internal/core.(*watchdog)") ||
			strings.HasPrefix(f.Function, "github.com/gridlock-go/gridlock/internal/core.takeSnapshot") ||
			strings.HasPrefix(f.Function, "os/signal.") {
			return true
		}
	}
	return false
}

// markWritten records that the report of p's raw cause is written (or
// found a duplicate, or did not fit): the repeats submitted meanwhile are
// counted in it, and later ones are counted at once and may act.
func (s *sink) markWritten(p *pending, key string) {
	if !p.hasRaw {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.raw[p.raw]
	c.key = key
	if i, ok := s.byKey[key]; ok {
		s.list[i].Count += c.extra
	}
	c.extra = 0
}

// add records r, deduplicating by cause. It reports whether r is new.
func (s *sink) add(r *report.Report) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := r.Key()
	if i, ok := s.byKey[key]; ok {
		s.list[i].Count++
		return false
	}
	if len(s.list) >= s.d.cfg.MaxReports {
		s.overflow++
		s.dropped.Add(1)
		return false
	}
	s.byKey[key] = len(s.list)
	s.list = append(s.list, *r)
	return true
}

// reportDrops reports, once per new batch, how many reports were lost.
func (s *sink) reportDrops() {
	n := s.dropped.Load()
	s.mu.Lock()
	if n == s.lastDropped {
		s.mu.Unlock()
		return
	}
	delta := n - s.lastDropped
	s.lastDropped = n
	s.mu.Unlock()
	r := report.Report{
		Kind:    report.Dropped,
		Summary: fmt.Sprintf("%d reports were dropped (%d in all): the report queue or the report table was full", delta, n),
		Time:    time.Now(),
		Count:   1,
	}
	r.ID = fmt.Sprintf("dropped-%d", n)
	s.mu.Lock()
	s.list = append(s.list, r)
	s.mu.Unlock()
	s.emit(&r)
}

// emit logs r: as text on Stderr (log=text) or as JSON through zap on
// stderr (log=json, unless the caller gave its own logger), and always to a
// logger the caller gave and its report function.
func (s *sink) emit(r *report.Report) {
	cfg := &s.d.cfg
	switch s.d.settings.Log {
	case "text":
		var b bytes.Buffer
		report.WriteText(&b, r)
		cfg.Stderr.Write(b.Bytes())
	case "json":
		if cfg.Logger == nil {
			l := jsonLogger()
			report.Log(l, r)
			l.Sync()
		}
	}
	if cfg.Logger != nil {
		report.Log(cfg.Logger, r)
	}
	if cfg.OnReport != nil {
		cfg.OnReport(*r)
	}
}

var (
	jsonLoggerOnce sync.Once
	jsonLog        *zap.Logger
)

func jsonLogger() *zap.Logger {
	jsonLoggerOnce.Do(func() {
		zc := zap.NewProductionConfig()
		zc.OutputPaths = []string{"stderr"}
		zc.Sampling = nil
		l, err := zc.Build()
		if err != nil {
			l = zap.NewNop()
		}
		jsonLog = l
	})
	return jsonLog
}

func (s *sink) reports() []report.Report {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]report.Report(nil), s.list...)
}

// tally returns the sum of the reports' counts. Reports are only added and
// counts only raised, so it changes exactly when the files' content does.
// s.mu is held.
func (s *sink) tally() int {
	n := 0
	for i := range s.list {
		n += s.list[i].Count
	}
	return n
}

// writeFiles rewrites the report file and the profile, each atomically.
func (s *sink) writeFiles() {
	st := s.d.settings
	if st.File == "" && st.Profile == "" {
		return
	}
	s.mu.Lock()
	n := s.tally()
	if n == s.written && n > 0 {
		s.mu.Unlock()
		return
	}
	s.written = n
	reps := append([]report.Report(nil), s.list...)
	s.mu.Unlock()
	if st.File != "" {
		var b bytes.Buffer
		for i := range reps {
			report.WriteJSON(&b, &reps[i])
		}
		if err := WriteFileAtomic(ExpandPath(st.File), b.Bytes()); err != nil {
			fmt.Fprintf(s.d.cfg.Stderr, "gridlock: writing the report file: %v\n", err)
		}
	}
	if st.Profile != "" {
		var b bytes.Buffer
		if err := report.WriteProfile(&b, reps); err == nil {
			err = WriteFileAtomic(ExpandPath(st.Profile), b.Bytes())
			if err != nil {
				fmt.Fprintf(s.d.cfg.Stderr, "gridlock: writing the profile: %v\n", err)
			}
		} else {
			fmt.Fprintf(s.d.cfg.Stderr, "gridlock: building the profile: %v\n", err)
		}
	}
}

// ExpandPath replaces %p with the process id, %t with the start time
// (Unix seconds) and %% with %.
func ExpandPath(p string) string {
	if !strings.Contains(p, "%") {
		return p
	}
	r := strings.NewReplacer("%p", strconv.Itoa(os.Getpid()), "%t", strconv.FormatInt(epoch.Unix(), 10), "%%", "%")
	return r.Replace(p)
}

// WriteFileAtomic writes data to a temporary file beside path and renames
// it over path, so that readers see the old file or the new one, never a
// part. The temporary file is named after the process
// (.<name>.tmp-<pid>): a process killed mid-write leaves at most one, and
// the next writer of the path removes those of processes that are gone.
func WriteFileAtomic(path string, data []byte) error {
	dir, base := filepath.Dir(path), filepath.Base(path)
	removeStaleTemps(dir, base)
	// Writers of one process take turns on a path: they share its
	// temporary file.
	mu, _ := writeLocks.LoadOrStore(filepath.Join(dir, base), new(sync.Mutex))
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()
	tmp := filepath.Join(dir, fmt.Sprintf(".%s.tmp-%d", base, os.Getpid()))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

var (
	staleChecked sync.Map // paths whose stale temporary files were removed
	writeLocks   sync.Map // path -> *sync.Mutex
)

// removeStaleTemps removes, once per path and process, the temporary files
// left beside path by writers that were killed (their process is gone).
func removeStaleTemps(dir, base string) {
	if _, done := staleChecked.LoadOrStore(filepath.Join(dir, base), true); done {
		return
	}
	prefix := "." + base + ".tmp-"
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		pid, err := strconv.Atoi(name[len(prefix):])
		if err != nil || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		os.Remove(filepath.Join(dir, name))
	}
}

// Submit hands an already built report to the sink (verification reports).
func (d *Detector) Submit(r report.Report) {
	r.ID = r.CauseID()
	d.sink.submit(&pending{kind: r.Kind, built: &r}, false)
}
