//go:build !gridlock_off

package detect_test

import (
	"slices"
	"testing"

	"github.com/gridlock-go/gridlock/detect"
)

// db is bbolt's lock trio cut down: a read transaction takes meta, then
// mmap for reading; a write transaction holds writer and takes mmap for
// reading, then meta; mmap is taken for writing only by a remap, under
// writer. The cycle meta -> mmap(R) -> meta cannot deadlock: the read
// transaction's RLock blocks only behind a writer of mmap, and no remap can
// be under way while the write transaction holds writer.
type db struct {
	writer, meta detect.Mutex
	mmap         detect.RWMutex
}

//go:noinline
func (d *db) remap(gated bool) {
	if gated {
		d.writer.Lock()
		defer d.writer.Unlock()
	}
	d.mmap.Lock()
	d.mmap.Unlock()
}

//go:noinline
func (d *db) readTx(write bool) {
	d.meta.Lock()
	if write {
		d.mmap.Lock()
		d.mmap.Unlock()
	} else {
		d.mmap.RLock()
		d.mmap.RUnlock()
	}
	d.meta.Unlock()
}

//go:noinline
func (d *db) writeTx() {
	d.writer.Lock()
	d.mmap.RLock()
	d.meta.Lock()
	d.meta.Unlock()
	d.mmap.RUnlock()
	d.writer.Unlock()
}

// TestReadOnlyCycleUnderWriterGate checks that a lock-order cycle through
// an RWMutex taken only for reading in it, whose every writer held a lock
// that the cycle holds, is not reported; and that it is once a writer
// without that lock, or a Lock along the cycle, has been seen.
func TestReadOnlyCycleUnderWriterGate(t *testing.T) {
	tests := []struct {
		name string
		give func(d *db)
		want []detect.Kind
	}{
		{"writers under the gate", func(d *db) {
			d.remap(true)
			for range 2 {
				d.readTx(false)
				d.writeTx()
			}
		}, nil},
		{"a writer without the gate", func(d *db) {
			d.remap(true)
			d.remap(false)
			d.readTx(false)
			d.writeTx()
		}, []detect.Kind{detect.KindLockOrderCycle}},
		{"no writer seen yet", func(d *db) {
			d.readTx(false)
			d.writeTx()
		}, []detect.Kind{detect.KindLockOrderCycle}},
		{"the cycle takes it for writing", func(d *db) {
			d.remap(true)
			d.readTx(true)
			d.writeTx()
		}, []detect.Kind{detect.KindLockOrderCycle}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reports := start(t)
			var d db
			tt.give(&d)
			if got := kinds(reports()); !slices.Equal(got, tt.want) {
				t.Errorf("reports = %v, want %v", got, tt.want)
			}
		})
	}
}
