package metricsregistry

import "testing"

func TestBug(t *testing.T) {
	r := NewRegistry()
	if err := r.Register(Gauge{Name: "requests_total"}); err != nil {
		t.Errorf("register: %v", err)
	}
	_ = r.Register(Ratio{Name: "error_ratio", Of: "requests_total", Reg: r})
}

func TestFixed(t *testing.T) {
	r := NewFixedRegistry()
	if err := r.Register(Gauge{Name: "requests_total"}); err != nil {
		t.Errorf("register: %v", err)
	}
	if err := r.Register(Ratio{Name: "error_ratio", Of: "requests_total", Reg: r}); err != nil {
		t.Errorf("register: %v", err)
	}
}
