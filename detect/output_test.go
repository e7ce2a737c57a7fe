//go:build !gridlock_off

package detect_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/gridlock-go/gridlock/detect"
)

func TestWithLoggerFields(t *testing.T) {
	core, logs := observer.New(zapcore.DebugLevel)
	reports := start(t, detect.WithLogger(zap.New(core)))
	var a, b detect.Mutex
	lockAB(&a, &b)
	lockBA(&a, &b)
	onlyKind(t, reports(), detect.KindLockOrderCycle)
	entries := logs.FilterMessage("gridlock: lock-order-cycle").All()
	if len(entries) != 1 {
		t.Fatalf("zap entries = %d, want 1 with message gridlock: lock-order-cycle", len(entries))
	}
	fields := entries[0].ContextMap()
	for _, k := range []string{"kind", "id", "summary", "count", "edges", "objects"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("zap entry lacks field %q: %v", k, fields)
		}
	}
	if fields["kind"] != "lock-order-cycle" {
		t.Errorf("kind = %v, want lock-order-cycle", fields["kind"])
	}
	edges, _ := fields["edges"].([]any)
	if len(edges) != 2 {
		t.Fatalf("edges = %v, want 2", fields["edges"])
	}
	e0, _ := edges[0].(map[string]any)
	if !strings.Contains(jsonOf(t, e0["to_stack"]), "lockAB") && !strings.Contains(jsonOf(t, e0["to_stack"]), "lockBA") {
		t.Errorf("edge to_stack = %v, want the locking function", e0["to_stack"])
	}
}

func jsonOf(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestLogJSON runs a child with GRIDLOCK=log=json: one JSON object per
// report on stderr, with the documented field names.
func TestLogJSON(t *testing.T) {
	if os.Getenv(childEnv) == t.Name() {
		var a, b detect.Mutex
		lockAB(&a, &b)
		lockBA(&a, &b)
		detect.Default().Flush()
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$")
	cmd.Env = append(os.Environ(), childEnv+"="+t.Name(), "GRIDLOCK=log=json")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("child: %v\n%s", err, stderr.String())
	}
	var objs []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("stderr line %q is not JSON: %v", line, err)
		}
		objs = append(objs, m)
	}
	if len(objs) != 1 || objs[0]["msg"] != "gridlock: lock-order-cycle" || objs[0]["kind"] != "lock-order-cycle" || objs[0]["edges"] == nil {
		t.Fatalf("stderr objects = %v, want one lock-order-cycle with edges", objs)
	}
}

func TestActionPanic(t *testing.T) {
	start(t, detect.WithAction(detect.ActionPanic))
	var a, b detect.Mutex
	lockAB(&a, &b)
	var got any
	func() {
		defer func() { got = recover() }()
		lockBA(&a, &b)
	}()
	if s, _ := got.(string); !strings.HasPrefix(s, "gridlock: lock-order-cycle") {
		t.Fatalf("recover() = %v, want a gridlock: lock-order-cycle panic", got)
	}
}

func TestActionLogDoesNotPanic(t *testing.T) {
	reports := start(t, detect.WithAction(detect.ActionLog))
	var a, b detect.Mutex
	lockAB(&a, &b)
	lockBA(&a, &b) // must return normally
	onlyKind(t, reports(), detect.KindLockOrderCycle)
}

func TestActionExitAndFatal(t *testing.T) {
	var mu sync.Mutex
	var codes []int
	exit := func(code int) { mu.Lock(); codes = append(codes, code); mu.Unlock() }
	opt, err := detect.WithSettings("fatal=deadlock,log=off,timeout=1h")
	if err != nil {
		t.Fatal(err)
	}
	d := detect.New(opt, detect.WithExitFunc(exit))
	stop := d.Start()
	defer func() { stop(); d.Close() }()
	var a, b detect.Mutex
	lockAB(&a, &b)
	lockBA(&a, &b) // a lock-order cycle: not fatal
	d.Flush()
	mu.Lock()
	if len(codes) != 0 {
		t.Fatalf("exit codes after a lock-order cycle = %v, want none (not fatal)", codes)
	}
	mu.Unlock()
	ready, goAhead := make(chan bool), make(chan bool)
	go holdThenLock(&a, &b, ready, goAhead)
	go holdThenLock(&b, &a, ready, goAhead)
	<-ready
	<-ready
	close(goAhead)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		n := len(codes)
		mu.Unlock()
		if n > 0 {
			break
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(codes) != 1 || codes[0] != 3 {
		t.Fatalf("exit codes after a deadlock = %v, want [3]", codes)
	}
}

// startExiting starts a detector with GRIDLOCK-style settings whose exits
// (action=exit, fatal kinds) are sent, as codes, on the channel returned.
func startExiting(t *testing.T, settings string) (<-chan int, *detect.Detector) {
	t.Helper()
	exits := make(chan int, 16)
	opt, err := detect.WithSettings(settings)
	if err != nil {
		t.Fatal(err)
	}
	d := detect.New(opt, detect.WithExitFunc(func(code int) {
		select {
		case exits <- code:
		default:
		}
	}))
	stop := d.Start()
	t.Cleanup(func() { stop(); d.Close() })
	return exits, d
}

// TestFatalBlockedWaitWaitsForIdle: fatal=blocked-wait exits only once the
// program does nothing else. A wait past the timeout while another
// goroutine still works (here it sleeps between steps) is reported and the
// program goes on (for less than three timeouts, see
// TestFatalBlockedWaitBesidePoller); once every goroutine is blocked, it
// exits.
func TestFatalBlockedWaitWaitsForIdle(t *testing.T) {
	exits, d := startExiting(t, "fatal=blocked-wait,log=off,timeout=1s")
	var m detect.Mutex
	working, release := make(chan bool), make(chan bool)
	held := make(chan bool)
	go func() { // holds m while it works, then while it waits for release
		m.Lock()
		held <- true
		for {
			select {
			case <-working:
				time.Sleep(5 * time.Millisecond)
				continue
			case <-release:
			}
			break
		}
		m.Unlock()
	}()
	<-held
	go func() { m.Lock(); m.Unlock() }() // waits past the timeout
	// While the holder works, the wait is reported and nothing exits.
	for deadline := time.Now().Add(2500 * time.Millisecond); time.Now().Before(deadline); {
		working <- true
	}
	if r := d.Reports(); len(r) != 1 || r[0].Kind != detect.KindBlockedWait {
		t.Fatalf("reports = %v, want the blocked-wait", kinds(r))
	}
	if len(exits) != 0 {
		t.Errorf("exit code %d while the holder works, want none", <-exits)
	}
	// Now every goroutine waits (this one in a select): the program is hung.
	select {
	case code := <-exits:
		if code != 3 {
			t.Errorf("exit code %d once every goroutine waits, want 3", code)
		}
	case <-time.After(5 * time.Second):
		t.Errorf("no exit 5s after every goroutine waits, want exit code 3")
	}
	close(release)
}

// TestFatalBlockedWaitBesidePoller: a hang beside a goroutine that keeps
// sleeping and waking (a poller) is never idle, but once the wait has
// lasted three timeouts with the tracked waits unchanged, it is a hang:
// fatal=blocked-wait exits.
func TestFatalBlockedWaitBesidePoller(t *testing.T) {
	exits, _ := startExiting(t, "fatal=blocked-wait,log=off,timeout=200ms")
	var m detect.Mutex
	m.Lock()
	done := make(chan bool)
	go func() { // the poller
		for {
			select {
			case <-done:
				return
			default:
				time.Sleep(5 * time.Millisecond)
			}
		}
	}()
	go func() { m.Lock(); m.Unlock() }() // hung: m is never unlocked
	select {
	case code := <-exits:
		if code != 3 {
			t.Errorf("exit code %d, want 3", code)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("no exit 10s after a hang beside a poller, want one after three timeouts (600ms)")
	}
	close(done)
	m.Unlock()
}

// TestFatalBlockedWaitWhileTasksWork: a Wait on a WaitGroup whose tasks
// (started with Go) are still at work after three timeouts is reported,
// and fatal=blocked-wait does not exit: the goroutines it waits for run.
func TestFatalBlockedWaitWhileTasksWork(t *testing.T) {
	exits, d := startExiting(t, "fatal=blocked-wait,log=off,timeout=200ms")
	var wg detect.WaitGroup
	var mu detect.RWMutex
	end := time.Now().Add(3 * time.Second) // past the watchdog's second exit check
	for range 2 {
		wg.Go(func() {
			for time.Now().Before(end) { // busy: never parked, never waits
				mu.RLock()
				mu.RUnlock()
			}
		})
	}
	wg.Wait()
	wantBlockedWaitNoExit(t, d, exits, "the WaitGroup's tasks worked")
}

// wantBlockedWaitNoExit checks that d reported the blocked-wait first and
// asked for no exit, while what the wait waited for still worked.
func wantBlockedWaitNoExit(t *testing.T, d *detect.Detector, exits <-chan int, while string) {
	t.Helper()
	if r := d.Reports(); len(r) == 0 || r[0].Kind != detect.KindBlockedWait {
		t.Errorf("reports = %v, want the blocked-wait", kinds(r))
	}
	select {
	case code := <-exits:
		t.Errorf("exit code %d while %s, want none", code, while)
	default:
	}
}

// TestFatalBlockedWaitWhileHolderWorks: the WaitGroup's tasks are queued on
// a lock whose holder (not a task) works: the Wait's peers are parked, but
// the goroutine they wait for runs, so there is no exit either (the holder
// is reached through the tasks' waits, which are blocked-waits too).
func TestFatalBlockedWaitWhileHolderWorks(t *testing.T) {
	exits, d := startExiting(t, "fatal=blocked-wait,log=off,timeout=200ms")
	var mu detect.Mutex
	end := time.Now().Add(3 * time.Second) // past the watchdog's second exit check
	locked := make(chan bool)
	go func() { // the holder: works with mu held, until end
		mu.Lock()
		locked <- true
		for time.Now().Before(end) {
		}
		mu.Unlock()
	}()
	<-locked
	var wg detect.WaitGroup
	for range 2 {
		wg.Go(func() { mu.Lock(); mu.Unlock() })
	}
	wg.Wait()
	wantBlockedWaitNoExit(t, d, exits, "the lock's holder worked")
}
