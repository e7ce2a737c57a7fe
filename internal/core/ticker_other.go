//go:build !linux

package core

import "time"

func newTicker(first, every time.Duration) ticker { return newTimerTicker(first, every) }
