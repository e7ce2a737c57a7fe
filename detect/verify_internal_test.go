//go:build !gridlock_off

package detect

import "testing"

func TestFuncPackage(t *testing.T) {
	tests := []struct{ give, want string }{
		{"example.com/a/b.TestMain", "example.com/a/b"},
		{"example.com/a/b_test.TestMain", "example.com/a/b_test"},
		{"example.com/a/b.(*T).m.func1", "example.com/a/b"},
		{"main.TestMain", "main"},
		// The runtime escapes the dots of a path's last element.
		{"example.com/m/foo%2ev2_test.TestMain", "example.com/m/foo.v2_test"},
		{"gopkg.in/yaml%2ev3.TestMain.func1", "gopkg.in/yaml.v3"},
		{"nodot", ""},
	}
	for _, tt := range tests {
		if got := funcPackage(tt.give); got != tt.want {
			t.Errorf("funcPackage(%q) = %q, want %q", tt.give, got, tt.want)
		}
	}
}
