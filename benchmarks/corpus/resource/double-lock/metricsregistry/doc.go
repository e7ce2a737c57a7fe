// Package metricsregistry is a metrics registry that calls a collector's
// Describe callback while holding the registry lock. A "derived" collector
// looks up the metric it derives from through Registry.Lookup, which takes
// the same lock again: registering a derived collector self-deadlocks. The
// fix collects the descriptions before taking the lock.
//
// corpus:category resource/double-lock
// corpus:frames (*Registry).Register (*Registry).Lookup
package metricsregistry
