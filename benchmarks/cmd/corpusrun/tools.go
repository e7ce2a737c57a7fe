//go:build tools

// This file pins the peer tools that corpusrun injects into the corpus
// packages through -overlay, so that they stay in go.mod/go.sum.
package main

import (
	_ "github.com/sasha-s/go-deadlock"
	_ "go.uber.org/goleak"
)
