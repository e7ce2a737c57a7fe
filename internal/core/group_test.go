package core

import (
	"slices"
	"testing"
)

// TestEventsRing checks that events keeps the last maxEvents events,
// oldest first.
func TestEventsRing(t *testing.T) {
	tests := []struct {
		give int // events pushed, numbered from 1
		want []int64
	}{
		{0, nil},
		{1, []int64{1}},
		{maxEvents, []int64{1, 2, 3, 4, 5, 6, 7, 8}},
		{maxEvents + 1, []int64{2, 3, 4, 5, 6, 7, 8, 9}},
		{2*maxEvents + 3, []int64{12, 13, 14, 15, 16, 17, 18, 19}},
	}
	for _, tt := range tests {
		var es events
		for i := 1; i <= tt.give; i++ {
			es.push(event{g: int64(i)})
		}
		var got []int64
		for _, e := range es.list() {
			got = append(got, e.g)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("after %d pushes, list() = %v, want %v", tt.give, got, tt.want)
		}
	}
}
