package healthcheck

import (
	"testing"
	"time"
)

var backends = []string{"db-1", "db-2", "cache-1", "search-1", "queue-1"}

func TestBug(t *testing.T) {
	c := &Checker{Backends: backends, Deadline: 2 * time.Millisecond}
	c.CheckAll()
}

func TestFixed(t *testing.T) {
	c := &Checker{Backends: backends, Deadline: 2 * time.Millisecond, Fixed: true}
	c.CheckAll()
	time.Sleep(5 * time.Millisecond) // late probes land in the buffer
}
