package crawler

import "testing"

func TestBug(t *testing.T) {
	for i := 0; i < 3; i++ {
		New(300, 8, false).Crawl("/p0", 2)
	}
}

func TestFixed(t *testing.T) {
	for i := 0; i < 3; i++ {
		New(300, 8, true).Crawl("/p0", 2)
	}
}
