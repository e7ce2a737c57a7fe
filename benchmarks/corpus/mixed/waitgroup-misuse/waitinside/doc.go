// Package waitinside is a migration runner: each step runs in its own
// goroutine tracked by one WaitGroup. The "finalize" step waits on the same
// WaitGroup for the other steps before committing, but it is itself
// counted in the group, so its Wait can never return and Run's Wait hangs
// too. The fix runs finalize after the group's Wait.
//
// corpus:category mixed/waitgroup-misuse
// corpus:frames (*Migration).finalize (*Migration).Run
package waitinside
