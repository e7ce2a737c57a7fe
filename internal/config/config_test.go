package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	def := Defaults()
	tests := []struct {
		give    string
		want    Settings
		wantErr []string // substrings of the error; nil for none
	}{
		{give: "", want: Settings{Enabled: false, Timeout: def.Timeout, Log: "text", Action: "log"}},
		{give: "0", want: Settings{Enabled: false, Timeout: def.Timeout, Log: "text", Action: "log"}},
		{give: "off", want: Settings{Enabled: false, Timeout: def.Timeout, Log: "text", Action: "log"}},
		{give: " off ", want: Settings{Enabled: false, Timeout: def.Timeout, Log: "text", Action: "log"}},
		{give: "1", want: def},
		{give: "on", want: def},
		{give: "on,timeout=2s", want: Settings{Enabled: true, Timeout: 2 * time.Second, Log: "text", Action: "log"}},
		{give: "timeout=150ms", want: Settings{Enabled: true, Timeout: 150 * time.Millisecond, Log: "text", Action: "log"}},
		{give: "log=json,action=panic", want: Settings{Enabled: true, Timeout: def.Timeout, Log: "json", Action: "panic"}},
		{give: "profile=/tmp/g-%p.pb.gz,file=r.jsonl", want: Settings{Enabled: true, Timeout: def.Timeout, Log: "text", Action: "log", Profile: "/tmp/g-%p.pb.gz", File: "r.jsonl"}},
		{give: "fatal=deadlock+blocked-wait", want: Settings{Enabled: true, Timeout: def.Timeout, Log: "text", Action: "log", Fatal: []string{"deadlock", "blocked-wait"}}},
		{give: "debug=1,,", want: Settings{Enabled: true, Timeout: def.Timeout, Log: "text", Action: "log", Debug: true}},
		{
			give:    "on,timeout=soon,log=json",
			want:    Settings{Enabled: true, Timeout: def.Timeout, Log: "json", Action: "log"},
			wantErr: []string{`"timeout=soon"`, "positive duration", "valid settings:", "log=text|json|off"},
		},
		{
			give:    "verbose,action=explode",
			want:    def,
			wantErr: []string{`"verbose": unknown setting`, `"action=explode": want log, panic or exit`},
		},
		{give: "on,off", want: def, wantErr: []string{`"off" cannot be combined`}},
		{give: "timeout=-1s", want: def, wantErr: []string{`"timeout=-1s"`}},
		{give: "fatal=deadlock++x", want: def, wantErr: []string{`"fatal=deadlock++x"`}},
		{give: "fatal=no-such-kind", want: def, wantErr: []string{`"fatal=no-such-kind": unknown report kind "no-such-kind"`, "deadlock"}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.give)
		if got.String() != tt.want.String() {
			t.Errorf("Parse(%q) = %v, want %v", tt.give, got, tt.want)
		}
		if tt.wantErr == nil {
			if err != nil {
				t.Errorf("Parse(%q) error = %v, want nil", tt.give, err)
			}
			continue
		}
		var perr *Error
		if !errors.As(err, &perr) {
			t.Errorf("Parse(%q) error = %v, want *Error", tt.give, err)
			continue
		}
		for _, w := range tt.wantErr {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Parse(%q) error = %q, want it to contain %q", tt.give, err, w)
			}
		}
	}
}

func TestStringRoundTrip(t *testing.T) {
	for _, give := range []string{"on", "off", "timeout=3s,log=off,action=exit,profile=p,file=f,fatal=deadlock,debug=1"} {
		s, err := Parse(give)
		if err != nil {
			t.Fatalf("Parse(%q) error = %v", give, err)
		}
		back, err := Parse(s.String())
		if err != nil || back.String() != s.String() {
			t.Errorf("Parse(%q) = %v, %v, want %v", s.String(), back, err, s)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "on", "1,timeout=2s", "log=json,action=panic,profile=x", "fatal=deadlock+leaked-lock", "timeout=,=,,", "off,on"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		s, err := Parse(v)
		if err != nil {
			var perr *Error
			if !errors.As(err, &perr) || len(perr.Bad) == 0 {
				t.Fatalf("Parse(%q) error = %v, want *Error naming the bad settings", v, err)
			}
			if !strings.Contains(err.Error(), "valid settings") {
				t.Fatalf("Parse(%q) error = %q, want the list of valid settings", v, err)
			}
		}
		if s.Timeout <= 0 {
			t.Fatalf("Parse(%q).Timeout = %v, want > 0", v, s.Timeout)
		}
		if !s.Enabled {
			return
		}
		if !strings.ContainsAny(s.Profile+s.File, ",") {
			back, err := Parse(s.String())
			if err != nil || back.String() != s.String() {
				t.Fatalf("Parse(%q) = %v, %v, want %v", s.String(), back, err, s)
			}
		}
	})
}
