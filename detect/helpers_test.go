package detect_test

import (
	"testing"
	"time"

	"github.com/gridlock-go/gridlock/detect"
)

// The helpers here serve the tests of both builds; the tests of detection
// itself are in files built without the gridlock_off tag.

// start runs a fresh detector for the test and returns a function that
// flushes and returns its reports.
func start(t *testing.T, opts ...detect.Option) func() []detect.Report {
	t.Helper()
	return startDetector(t, opts...).Reports
}

// startDetector is start for tests that need the detector itself.
func startDetector(t *testing.T, opts ...detect.Option) *detect.Detector {
	t.Helper()
	d := detect.New(append([]detect.Option{detect.WithLog(detect.LogOff), detect.WithTimeout(300 * time.Millisecond)}, opts...)...)
	stop := d.Start()
	t.Cleanup(func() {
		stop()
		d.Close()
	})
	return d
}

// kinds returns the kinds of reps.
func kinds(reps []detect.Report) []detect.Kind {
	var out []detect.Kind
	for _, r := range reps {
		out = append(out, r.Kind)
	}
	return out
}
