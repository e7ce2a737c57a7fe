package dispatcher

import "testing"

func TestBug(t *testing.T) {
	p := &Pool{Workers: 4}
	if got := p.Run([]string{"a", "b", "c", "d", "e"}); len(got) != 5 {
		t.Errorf("got %d results", len(got))
	}
}

func TestFixed(t *testing.T) {
	p := &Pool{Workers: 4, CloseJobs: true}
	if got := p.Run([]string{"a", "b", "c", "d", "e"}); len(got) != 5 {
		t.Errorf("got %d results", len(got))
	}
}
