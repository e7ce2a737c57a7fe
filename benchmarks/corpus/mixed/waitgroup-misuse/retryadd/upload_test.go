package retryadd

import "testing"

func TestBug(t *testing.T) { (&Uploader{}).Upload(8) }

func TestFixed(t *testing.T) { (&Uploader{Fixed: true}).Upload(8) }
