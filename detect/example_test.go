//go:build !gridlock_off

package detect_test

import (
	"fmt"

	"github.com/gridlock-go/gridlock/detect"
)

// Two locks taken in both orders are reported even though this run did not
// deadlock.
func Example_lockOrderCycle() {
	d := detect.New(detect.WithLog(detect.LogOff))
	stop := d.Start()
	defer d.Close()

	var a, b detect.Mutex
	a.Lock()
	b.Lock() // a -> b
	b.Unlock()
	a.Unlock()

	b.Lock()
	a.Lock() // b -> a: a cycle
	a.Unlock()
	b.Unlock()

	stop()
	for _, r := range d.Reports() {
		fmt.Println(r.Kind, len(r.Edges), "edges")
	}
	// Output: lock-order-cycle 2 edges
}

// Settings in GRIDLOCK's syntax are checked: the bad ones are named, the
// good ones apply.
func ExampleWithSettings() {
	_, err := detect.WithSettings("timeout=2s,log=xml")
	fmt.Println(err != nil)
	// Output: true
}
