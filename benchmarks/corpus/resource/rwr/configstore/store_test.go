package configstore

import (
	"testing"
	"time"
)

func config() map[string]string {
	return map[string]string{"db.host": "10.0.0.1", "primary": "${db.host}", "port": "5432"}
}

func TestBug(t *testing.T) {
	s := NewStore(config(), 300*time.Microsecond)
	defer s.Close()
	for i := 0; i < 2000; i++ {
		if s.Get("primary") != "10.0.0.1" {
			t.Errorf("bad value")
		}
		s.Get("port")
	}
}

func TestFixed(t *testing.T) {
	s := NewFixedStore(config(), 300*time.Microsecond)
	defer s.Close()
	for i := 0; i < 2000; i++ {
		if s.Get("primary") != "10.0.0.1" {
			t.Errorf("bad value")
		}
		s.Get("port")
	}
}
