package core

import (
	"runtime"
	"slices"
	"sync"
	"unsafe"

	"github.com/petermattis/goid"
)

// goidOff is the offset of the goroutine id in the runtime's g, so that
// the fast paths read it from the g that fpWalk returns with their stack
// instead of calling goid.Get (an assembly function of its own). It is
// found when the first detector is made (not at init: a program with
// gridlock off starts no goroutine for it) by looking for goid.Get's value
// in the g of three goroutines; 0 (not found yet or at all, or the race
// detector's checked pointer arithmetic) makes goidOf call goid.Get.
var (
	goidOff     uintptr
	goidOffOnce sync.Once
)

// initGoidOff sets goidOff; New calls it before its detector can be active.
func initGoidOff() { goidOffOnce.Do(func() { goidOff = findGoidOff() }) }

// goidSpan bounds the search: the id is among the first fields of the g.
const goidSpan = 0x100

func findGoidOff() uintptr {
	if raceEnabled || runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64" {
		return 0
	}
	type found struct {
		id   int64
		offs []uintptr
	}
	look := func() found {
		var f found
		f.id = goid.Get()
		_, gp := fpWalk(nil, 0, 0)
		if gp == nil {
			return f
		}
		for off := uintptr(8); off < goidSpan; off += 8 {
			if *(*int64)(unsafe.Add(gp, off)) == f.id {
				f.offs = append(f.offs, off)
			}
		}
		return f
	}
	all := []found{look()}
	for range 2 {
		ch := make(chan found)
		go func() { ch <- look() }()
		all = append(all, <-ch)
	}
	var off uintptr
	for _, cand := range all[0].offs {
		common := true
		for _, f := range all[1:] {
			common = common && f.id != all[0].id && slices.Contains(f.offs, cand)
		}
		if common {
			if off != 0 {
				return 0 // two candidates: none is trusted
			}
			off = cand
		}
	}
	return off
}

// goidOf returns the id of the goroutine whose runtime g is gp, the
// calling goroutine's (from fpWalk).
func goidOf(gp unsafe.Pointer) int64 {
	if goidOff == 0 || gp == nil {
		return goid.Get()
	}
	return *(*int64)(unsafe.Add(gp, goidOff))
}
