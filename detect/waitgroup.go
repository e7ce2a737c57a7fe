//go:build !gridlock_off

package detect

import (
	"sync"
	"unsafe"

	"github.com/gridlock-go/gridlock/internal/core"
)

// A WaitGroup waits for a collection of goroutines or tasks to finish, like
// sync.WaitGroup, and gridlock explains a Wait that does not return: the Add
// call sites whose Done never came and the goroutines started with Go that
// are still running. A WaitGroup must not be copied after first use.
type WaitGroup struct {
	wg sync.WaitGroup
	st core.State
}

// Add adds delta, which may be negative, to the WaitGroup counter. A
// counter driven below zero is reported (waitgroup-negative) with the calls
// that drove it there before sync panics; an Add that starts a new round
// while a previous Wait has not returned is reported (waitgroup-reuse).
func (wg *WaitGroup) Add(delta int) {
	if d := core.Active(); d != nil {
		var pcs core.PCs
		core.Capture(&pcs)
		what := "Add"
		if delta < 0 {
			what = "Add(negative)"
		}
		d.GroupAdd(&wg.st, unsafe.Pointer(wg), delta, &pcs, what)
	}
	wg.wg.Add(delta)
}

// Done decrements the WaitGroup counter by one.
func (wg *WaitGroup) Done() {
	if d := core.Active(); d != nil {
		var pcs core.PCs
		core.Capture(&pcs)
		d.GroupAdd(&wg.st, unsafe.Pointer(wg), -1, &pcs, "Done")
	}
	wg.wg.Done()
}

// Go calls f in a new goroutine and adds that task to the WaitGroup. When f
// returns, the task is removed from the WaitGroup.
func (wg *WaitGroup) Go(f func()) {
	d := core.Active()
	if d == nil {
		wg.wg.Go(f)
		return
	}
	var pcs core.PCs
	core.Capture(&pcs)
	d.GroupAdd(&wg.st, unsafe.Pointer(wg), 1, &pcs, "Go")
	wg.wg.Add(1)
	go func() {
		d.GroupGoStart(&wg.st, unsafe.Pointer(wg), &pcs)
		defer func() {
			d.GroupGoEnd(&wg.st, unsafe.Pointer(wg))
			var done core.PCs
			core.Capture(&done)
			d.GroupAdd(&wg.st, unsafe.Pointer(wg), -1, &done, "Done (end of Go)")
			wg.wg.Done()
		}()
		f()
	}()
}

// WaitGroupTask records that the calling goroutine will call Done on wg, a
// *WaitGroup (anything else is ignored), as a goroutine started by wg.Go
// does when its function returns, and WaitGroupTaskEnd that it ended: until
// its Done, a Wait on wg waits for it, and is found stuck with it (a
// deadlock rather than a blocked-wait after the timeout). gridlock test
// adds both to the start of each function (and each function literal run
// by a go statement) that calls Done; code need not call them.
func WaitGroupTask(wg any) {
	if w, ok := wg.(*WaitGroup); ok && w != nil {
		if d := core.Active(); d != nil {
			var pcs core.PCs
			core.Capture(&pcs)
			d.GroupTaskStart(&w.st, unsafe.Pointer(w), &pcs)
		}
	}
}

// WaitGroupTaskEnd records that a goroutine that called WaitGroupTask ends.
func WaitGroupTaskEnd(wg any) {
	if w, ok := wg.(*WaitGroup); ok && w != nil {
		if d := core.Active(); d != nil {
			d.GroupGoEnd(&w.st, unsafe.Pointer(w))
		}
	}
}

// Wait blocks until the WaitGroup counter is zero.
func (wg *WaitGroup) Wait() {
	d := core.Active()
	if d == nil || d.GroupIdle(&wg.st, unsafe.Pointer(wg)) {
		wg.wg.Wait()
		return
	}
	var pcs core.PCs
	core.Capture(&pcs)
	t, waiting := d.GroupWait(&wg.st, unsafe.Pointer(wg), &pcs)
	if !waiting {
		wg.wg.Wait()
		return
	}
	defer d.GroupWaitDone(&wg.st, t) // also when sync panics (a reuse)
	wg.wg.Wait()
}
