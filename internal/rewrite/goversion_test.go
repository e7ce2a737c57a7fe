package rewrite

import "testing"

func TestPinGoVersion(t *testing.T) {
	tests := []struct {
		name string
		give string
		want string // "" means unchanged
	}{
		{
			name: "no constraint",
			give: "// Doc.\n\npackage p\n",
			want: "//go:build go1.16\n//line /src/p/f.go:1:1\n// Doc.\n\npackage p\n",
		},
		{
			name: "go:build",
			give: "//go:build linux || darwin\n\npackage p\n",
			want: "//go:build (linux || darwin) && go1.16\n\n/*line /src/p/f.go:3:1*/package p\n",
		},
		{
			name: "go:build with its +build lines",
			give: "// Copyright.\n\n//go:build linux\n// +build linux\n\npackage p\n",
			want: "// Copyright.\n\n//go:build linux && go1.16\n//\n\n/*line /src/p/f.go:6:1*/package p\n",
		},
		{
			name: "go:build newer than the pin",
			give: "//go:build go1.22\n\npackage p\n",
		},
		{
			name: "go:build older than the pin",
			give: "//go:build go1.10 && linux\n\npackage p\n",
		},
		{
			name: "byte order mark",
			give: "\xef\xbb\xbfpackage p\n",
			want: "\xef\xbb\xbf//go:build go1.16\n//line /src/p/f.go:1:1\npackage p\n",
		},
		{
			name: "go:build as new as the pin",
			give: "//go:build go1.16 && !windows\n\npackage p\n",
		},
		{
			name: "+build lines only",
			give: "// +build linux darwin\n// +build amd64\n\npackage p\n",
			want: "//go:build (linux || darwin) && amd64 && go1.16\n//\n\n/*line /src/p/f.go:4:1*/package p\n",
		},
		{
			name: "CRLF",
			give: "//go:build linux\r\n\r\npackage p\r\n",
			want: "//go:build linux && go1.16\r\n\r\n/*line /src/p/f.go:3:1*/package p\r\n",
		},
		{
			name: "constraint-like line after the package clause",
			give: "package p\n\n//go:build linux\n",
			want: "//go:build go1.16\n//line /src/p/f.go:1:1\npackage p\n\n//go:build linux\n",
		},
		{
			name: "block comment first",
			give: "/* Doc.\n */\n//go:build linux\n\npackage p\n",
			want: "/* Doc.\n */\n//go:build linux && go1.16\n\n/*line /src/p/f.go:5:1*/package p\n",
		},
		{
			name: "package clause after a comment on its line",
			give: "//go:build linux\n\n/* x */ package p\n",
			want: "//go:build linux && go1.16\n\n/* x */ /*line /src/p/f.go:3:9*/package p\n",
		},
		{
			name: "+build in the doc comment is no constraint",
			give: "// +build linux\npackage p\n",
			want: "//go:build go1.16\n//line /src/p/f.go:1:1\n// +build linux\npackage p\n",
		},
		{
			name: "package clause after a block comment on its line",
			give: "/* x */ package p\n\n//go:build linux\n",
			want: "//go:build go1.16\n//line /src/p/f.go:1:1\n/* x */ package p\n\n//go:build linux\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed := pinGoVersion([]byte(tt.give), "/src/p/f.go", "go1.16")
			want := tt.want
			if want == "" {
				want = tt.give
			}
			if string(got) != want || changed != (tt.want != "") {
				t.Errorf("pinGoVersion(%q) = %q, %v, want %q, %v", tt.give, got, changed, want, tt.want != "")
			}
		})
	}
}

func TestAnchorPackage(t *testing.T) {
	tests := []struct {
		name string
		give string
		want string
	}{
		{"plain", "// Doc.\npackage p\n", "// Doc.\n/*line /src/p/f.go:2:1*/package p\n"},
		{"byte order mark", "\xef\xbb\xbfpackage p\n", "\xef\xbb\xbf/*line /src/p/f.go:1:4*/package p\n"},
		{"a line directive of its own", "//line gram.y:2\npackage p\n", "//line gram.y:2\npackage p\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(anchorPackage([]byte(tt.give), "/src/p/f.go")); got != tt.want {
				t.Errorf("anchorPackage(%q) = %q, want %q", tt.give, got, tt.want)
			}
		})
	}
}

func TestLangVersion(t *testing.T) {
	tests := []struct{ give, want string }{
		{"1.16", "go1.16"},
		{"1.21.0", "go1.21"},
		{"1.26rc1", "go1.26"},
		{"", ""},
		{"banana", ""},
	}
	for _, tt := range tests {
		if got := langVersion(tt.give); got != tt.want {
			t.Errorf("langVersion(%q) = %q, want %q", tt.give, got, tt.want)
		}
	}
}
