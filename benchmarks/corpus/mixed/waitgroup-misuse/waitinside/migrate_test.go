package waitinside

import "testing"

var steps = []string{"add column", "backfill", "add index"}

func TestBug(t *testing.T) { (&Migration{Steps: steps}).Run() }

func TestFixed(t *testing.T) { (&Migration{Steps: steps}).FixedRun() }
