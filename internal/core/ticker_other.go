//go:build !linux

package core

import "time"

// newTicker returns nil: the watchdog runs on Go timers.
func newTicker(first, every time.Duration) ticker { return nil }
