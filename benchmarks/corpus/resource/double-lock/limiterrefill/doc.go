// Package limiterrefill is a token-bucket rate limiter whose Allow, when the
// bucket is empty and the refill interval has passed, calls the public
// Refill method, which takes the limiter mutex again. The hang needs the
// bucket to run dry after an interval elapsed, so it depends on request
// timing. The fix calls refillLocked.
//
// corpus:category resource/double-lock
// corpus:frames (*Limiter).Allow (*Limiter).Refill
package limiterrefill
