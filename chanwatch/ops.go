package chanwatch

import "iter"

// Make returns a new channel of the given buffer size whose reports use name
// instead of its creation site.
func Make[T any](size int, name string) chan T {
	ch := make(chan T, size)
	nameChan(chanKey(ch), name)
	return ch
}

// Send sends v on ch, as the statement ch <- v.
func Send[T any](ch chan<- T, v T) {
	select {
	case ch <- v:
		return
	default:
	}
	ch <- v
}

// Recv receives from ch, as the expression <-ch.
func Recv[T any](ch <-chan T) T {
	v, _ := Recv2(ch)
	return v
}

// Recv2 receives from ch, as the expression v, ok := <-ch.
func Recv2[T any](ch <-chan T) (T, bool) {
	select {
	case v, ok := <-ch:
		return v, ok
	default:
	}
	v, ok := <-ch
	return v, ok
}

// TrySend sends v on ch if that does not block, and reports whether it did.
func TrySend[T any](ch chan<- T, v T) bool {
	select {
	case ch <- v:
		return true
	default:
		return false
	}
}

// TryRecv receives from ch if that does not block. received reports whether
// a receive happened; ok is false when it observed ch closed.
func TryRecv[T any](ch <-chan T) (v T, ok, received bool) {
	select {
	case v, ok = <-ch:
		return v, ok, true
	default:
		return v, false, false
	}
}

// Close closes ch, as close(ch).
func Close[T any](ch chan<- T) {
	close(ch)
}

// Range yields the values received from ch until it is closed, as
// for v := range ch.
func Range[T any](ch <-chan T) iter.Seq[T] {
	return func(yield func(T) bool) {
		for {
			v, ok := Recv2(ch)
			if !ok || !yield(v) {
				return
			}
		}
	}
}
