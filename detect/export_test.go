//go:build !gridlock_off

package detect

import "time"

// PruneGoroutines forgets the states of exited goroutines now.
func (d *Detector) PruneGoroutines() { d.c.PruneGoroutines() }

// WithGrace sets how long a wait lasts before the watchdog first looks at
// it (for tests that must not see the watchdog work, e.g. allocation
// budgets).
func WithGrace(d time.Duration) Option { return optionFunc(func(o *options) { o.grace = d }) }

// GatedLen returns how many edges close only gated cycles and how many
// edges the lock-order graph describes.
func (d *Detector) GatedLen() (gated, edges int) { return d.c.GatedLen() }

// LeakedWaits returns the tracked waits still blocked, as the end of a
// test binary reports them (no test given: each report names the test it
// finds).
func (d *Detector) LeakedWaits() []Report { return d.leakedWaits(nil, nil, "") }
