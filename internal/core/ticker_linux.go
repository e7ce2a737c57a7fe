//go:build linux

package core

import (
	"os"
	"syscall"
	"time"
	"unsafe"
)

// newTicker returns the watchdog's ticker: a timerfd read through the
// runtime's network poller. A Go timer would do, but while one is pending
// every pass of the scheduler on its P reads the clock: a pending 20 ms
// ticker made an unbuffered channel round trip between two goroutines ~10%
// slower on the development VM, a timerfd nothing measurable. It returns
// nil (the watchdog then runs on Go timers, as on other systems) when the
// kernel refuses a timerfd, and in a testing/synctest bubble: the
// goroutine would join the bubble, whose fake clock stands still while a
// goroutine of it waits for I/O, and which must end with no goroutine
// left.
func newTicker(first, every time.Duration) ticker {
	if inBubble() {
		return nil
	}
	if t, err := newTimerfd(first, every); err == nil {
		return t
	}
	return nil
}

// inBubble reports whether the calling goroutine may be in a
// testing/synctest bubble: its clock (which starts at 2000-01-01 in a
// bubble) is more than an hour away from the kernel's. There is no public
// test for it; when the kernel's clock cannot be read, the answer is yes,
// which costs only the timer's overhead.
func inBubble() bool {
	var tv syscall.Timeval
	if err := syscall.Gettimeofday(&tv); err != nil {
		return true
	}
	d := time.Since(time.Unix(tv.Unix()))
	return d > time.Hour || d < -time.Hour
}

type timerfd struct{ f *os.File }

func newTimerfd(first, every time.Duration) (*timerfd, error) {
	const clockMonotonic = 1
	fd, _, errno := syscall.Syscall(syscall.SYS_TIMERFD_CREATE, clockMonotonic, syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if errno != 0 {
		return nil, errno
	}
	spec := struct{ interval, value syscall.Timespec }{
		interval: syscall.NsecToTimespec(int64(every)),
		value:    syscall.NsecToTimespec(int64(max(first, time.Nanosecond))),
	}
	if _, _, errno := syscall.Syscall6(syscall.SYS_TIMERFD_SETTIME, fd, 0, uintptr(unsafe.Pointer(&spec)), 0, 0, 0); errno != 0 {
		syscall.Close(int(fd))
		return nil, errno
	}
	// Non-blocking: os.NewFile registers it with the poller, so a read
	// parks the goroutine instead of holding a thread.
	return &timerfd{f: os.NewFile(fd, "gridlock-watchdog")}, nil
}

// wait blocks until the timer expires; it reports false once stop was
// called.
func (t *timerfd) wait() bool {
	var expirations [8]byte
	_, err := t.f.Read(expirations[:])
	return err == nil
}

func (t *timerfd) stop() { t.f.Close() }
