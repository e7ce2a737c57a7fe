package detect

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/gridlock-go/gridlock/internal/config"
	"github.com/gridlock-go/gridlock/internal/core"
	"github.com/gridlock-go/gridlock/internal/report"
)

// The report model, shared with the CLI and the report files.
type (
	// Report is one finding of the detector.
	Report = report.Report
	// Kind names what a report is about ("lock-order-cycle", "deadlock", ...).
	Kind = report.Kind
	// Frame is one call in a stack trace.
	Frame = report.Frame
	// Stack is a stack trace, innermost call first.
	Stack = report.Stack
	// Goroutine is a goroutine involved in a report.
	Goroutine = report.Goroutine
	// Edge is one edge of a lock-order cycle.
	Edge = report.Edge
	// Object is a lock, WaitGroup, Cond or channel named by a report.
	Object = report.Object
)

// The report kinds.
const (
	KindLockOrderCycle   = report.LockOrderCycle
	KindDoubleLock       = report.DoubleLock
	KindRecursiveRLock   = report.RecursiveRLock
	KindDeadlock         = report.Deadlock
	KindBlockedWait      = report.BlockedWait
	KindLeakedLock       = report.LeakedLock
	KindLeakedWait       = report.LeakedWait
	KindWaitGroupNeg     = report.WaitGroupNeg
	KindWaitGroupReuse   = report.WaitGroupReuse
	KindCondWaitUnlocked = report.CondWaitUnlocked
	KindUnlockOfUnlocked = report.UnlockOfUnlocked
	KindCopiedLock       = report.CopiedLock
	KindSendOnClosed     = report.SendOnClosed
	KindCloseOfClosed    = report.CloseOfClosed
	KindCloseOfNil       = report.CloseOfNil
	KindNilChannel       = report.NilChannel
	KindOwnership        = report.Ownership
	KindDropped          = report.Dropped
)

// ReadReports reads a report file: the JSON lines written with
// GRIDLOCK=file=PATH, or a profile written with GRIDLOCK=profile=PATH.
// Errors name the stage that failed.
func ReadReports(path string) ([]Report, error) { return report.ReadFile(path) }

// WriteText writes r in the readable text form used on stderr.
func WriteText(w io.Writer, r *Report) error { return report.WriteText(w, r) }

// An Option configures a Detector.
type Option interface{ apply(*options) }

type options struct {
	settings config.Settings
	logger   *zap.Logger
	out      io.Writer
	onReport func(Report)
	exit     func(int)
	ignore   []string
	grace    time.Duration
}

// defaults is the one place where a Detector's defaults are set: those of
// GRIDLOCK=on.
func defaults() options { return options{settings: config.Defaults()} }

type optionFunc func(*options)

func (f optionFunc) apply(o *options) { f(o) }

// WithTimeout sets how long a wait may last before it is reported as a
// blocked-wait (GRIDLOCK's timeout=).
func WithTimeout(d time.Duration) Option {
	return optionFunc(func(o *options) {
		if d > 0 {
			o.settings.Timeout = d
		}
	})
}

// LogFormat says how reports are logged.
type LogFormat string

// The log formats.
const (
	LogText LogFormat = "text" // readable multi-line text on stderr (default)
	LogJSON LogFormat = "json" // one JSON object per report, through zap
	LogOff  LogFormat = "off"  // not logged (still kept, written to files and passed to WithReportFunc)
)

// WithLog sets the log format (GRIDLOCK's log=).
func WithLog(f LogFormat) Option { return optionFunc(func(o *options) { o.settings.Log = string(f) }) }

// WithLogger sends every report to l as one structured entry (message
// "gridlock: <kind>", fields kind, id, summary, goroutines, edges, ...),
// whatever the log format: with log=json it replaces the JSON on stderr.
func WithLogger(l *zap.Logger) Option { return optionFunc(func(o *options) { o.logger = l }) }

// WithOutput sets where text reports go (default os.Stderr).
func WithOutput(w io.Writer) Option { return optionFunc(func(o *options) { o.out = w }) }

// WithReportFunc calls f with every new report, on gridlock's sink
// goroutine. f must not block for long: reports wait behind it.
func WithReportFunc(f func(Report)) Option { return optionFunc(func(o *options) { o.onReport = f }) }

// Action is what a report does after it is written.
type Action string

// The actions.
const (
	ActionLog   Action = "log"   // only report (default)
	ActionPanic Action = "panic" // panic after reporting
	ActionExit  Action = "exit"  // exit with status 3 after reporting
)

// WithAction sets what a report does (GRIDLOCK's action=).
func WithAction(a Action) Option {
	return optionFunc(func(o *options) { o.settings.Action = string(a) })
}

// WithProfile writes a pprof profile of the reports to path (%p: the
// process id) after each report (GRIDLOCK's profile=).
func WithProfile(path string) Option {
	return optionFunc(func(o *options) { o.settings.Profile = path })
}

// WithFile writes the reports as JSON lines to path (%p: the process id)
// after each report (GRIDLOCK's file=).
func WithFile(path string) Option { return optionFunc(func(o *options) { o.settings.File = path }) }

// WithSettings applies a GRIDLOCK-style settings string. It returns an
// error naming the bad settings; the valid ones still apply.
func WithSettings(s string) (Option, error) {
	parsed, err := config.Parse(s)
	return optionFunc(func(o *options) {
		parsed.Enabled = true
		o.settings = parsed
	}), err
}

// WithExitFunc replaces os.Exit for action=exit and fatal kinds (for tests).
func WithExitFunc(f func(code int)) Option { return optionFunc(func(o *options) { o.exit = f }) }

// IgnoreTopFunction makes VerifyNone and VerifyTestMain ignore waits of
// goroutines whose topmost user frame is the function fn (for example
// "example.com/pkg.(*Server).serve").
func IgnoreTopFunction(fn string) Option {
	return optionFunc(func(o *options) { o.ignore = append(o.ignore, fn) })
}

// Detector is one instance of gridlock's detector. Locks are tracked by the
// detector that is active (see Start); the package-level functions work on
// the default detector, configured from the GRIDLOCK environment variable.
type Detector struct {
	c    *core.Detector
	opts options
}

// New returns a detector with the defaults of GRIDLOCK=on changed by opts.
// It tracks nothing until Start.
func New(opts ...Option) *Detector {
	o := defaults()
	for _, opt := range opts {
		opt.apply(&o)
	}
	return newDetector(o)
}

func newDetector(o options) *Detector {
	o.settings.Enabled = true
	cfg := core.Config{Settings: o.settings, Logger: o.logger, Stderr: o.out, Exit: o.exit, Grace: o.grace}
	if o.onReport != nil {
		cfg.OnReport = func(r report.Report) { o.onReport(r) }
	}
	return &Detector{c: core.New(cfg), opts: o}
}

// Start makes d the active detector: locks, WaitGroups and Conds used from
// now on are tracked by d. The returned function restores the detector that
// was active before and flushes d's reports.
func (d *Detector) Start() (stop func()) {
	started.Store(d.c, d)
	prev := core.SetActive(d.c)
	return func() {
		core.SetActive(prev)
		started.CompareAndDelete(d.c, d)
		d.c.Flush()
	}
}

// Reports returns the distinct reports made so far, each with its count.
func (d *Detector) Reports() []Report {
	d.c.Flush()
	return d.c.Reports()
}

// Flush waits until every report made so far is written.
func (d *Detector) Flush() { d.c.Flush() }

// Close stops d's goroutines after writing its reports. d must not be
// active.
func (d *Detector) Close() { d.c.Close() }

// CheckInvariants verifies gridlock's own bookkeeping (the lock-order
// graph and every goroutine's held locks) and returns what is wrong. It is
// for tests; GRIDLOCK=debug=1 checks the graph after every new edge.
func (d *Detector) CheckInvariants() error { return d.c.CheckInvariants() }

// Stats are the detector's counters.
type Stats = core.Stats

// Stats returns d's counters: goroutines, graph nodes and edges, interned
// stacks, dropped reports.
func (d *Detector) Stats() Stats { return d.c.Stats() }

var (
	defaultMu  sync.Mutex
	defaultDet *Detector
)

// Default returns the default detector: the one GRIDLOCK configures, made
// on first use (and at start when GRIDLOCK enables gridlock).
func Default() *Detector {
	defaultMu.Lock()
	defer defaultMu.Unlock()
	if defaultDet == nil {
		o := defaults()
		o.settings = envSettings
		defaultDet = newDetector(o)
	}
	return defaultDet
}

// Enabled reports whether a detector is active.
func Enabled() bool { return core.Active() != nil }

// Reports returns the reports of the active detector, or of the default
// detector when none is active.
func Reports() []Report { return current().Reports() }

// started maps the engines of started detectors to them, so that the
// package-level functions find the active one with its options.
var started sync.Map // *core.Detector -> *Detector

func current() *Detector {
	if c := core.Active(); c != nil {
		if d, ok := started.Load(c); ok {
			return d.(*Detector)
		}
	}
	return Default()
}

var envSettings config.Settings

func init() {
	s, err := config.Parse(os.Getenv(config.EnvVar))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	envSettings = s
	if s.Enabled {
		Default().Start()
	}
}
