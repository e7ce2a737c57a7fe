// Package config parses the GRIDLOCK environment variable.
//
// The value is a comma-separated list of settings in the style of GODEBUG.
// Unset, empty, "0" and "off" disable gridlock; anything else enables it.
// "1" and "on" mean the defaults and may stand beside other settings.
package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gridlock-go/gridlock/internal/report"
)

// EnvVar is the name of the environment variable that switches gridlock on.
const EnvVar = "GRIDLOCK"

// Settings is the parsed form of a GRIDLOCK value.
type Settings struct {
	Enabled bool
	// Timeout is the blocked-wait threshold.
	Timeout time.Duration
	// Log is the report log format: "text", "json" or "off".
	Log string
	// Profile is the path pattern of the pprof profile, "" for none.
	Profile string
	// File is the path pattern of the JSON-lines report file, "" for none.
	File string
	// Action is what a report does after it is written: "log", "panic" or "exit".
	Action string
	// Fatal lists report kinds after which the process exits with status 3.
	Fatal []string
	// Debug makes the detector verify its lock-order graph after every
	// change.
	Debug bool
}

// Defaults returns the settings of GRIDLOCK=on.
func Defaults() Settings {
	return Settings{Enabled: true, Timeout: 30 * time.Second, Log: "text", Action: "log"}
}

// Valid lists the accepted settings, for error messages and docs.
const Valid = `on|1|off|0, timeout=<duration>, log=text|json|off, profile=<path>, file=<path>, action=log|panic|exit, fatal=<kind>[+<kind>...], debug=0|1`

// Error describes the settings of a GRIDLOCK value that were not accepted.
type Error struct {
	Bad []string // each bad setting with the reason
}

func (e *Error) Error() string {
	return fmt.Sprintf("gridlock: bad %s setting(s): %s; valid settings: %s",
		EnvVar, strings.Join(e.Bad, "; "), Valid)
}

// Parse parses a GRIDLOCK value. It always returns usable settings: when
// some settings are malformed it applies the valid ones and returns an
// *Error naming the others.
func Parse(value string) (Settings, error) {
	s := Defaults()
	v := strings.TrimSpace(value)
	if v == "" || v == "0" || v == "off" {
		s.Enabled = false
		return s, nil
	}
	var bad []string
	for item := range strings.SplitSeq(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if err := s.apply(item); err != nil {
			bad = append(bad, fmt.Sprintf("%q: %v", item, err))
		}
	}
	if bad != nil {
		return s, &Error{Bad: bad}
	}
	return s, nil
}

func (s *Settings) apply(item string) error {
	key, val, hasVal := strings.Cut(item, "=")
	if !hasVal {
		switch key {
		case "1", "on":
			return nil
		case "0", "off":
			return errors.New(`"off" cannot be combined with other settings`)
		}
		return errors.New("unknown setting")
	}
	switch key {
	case "timeout":
		d, err := time.ParseDuration(val)
		if err != nil || d <= 0 {
			return errors.New("want a positive duration such as 500ms or 2s")
		}
		s.Timeout = d
	case "log":
		if !slices.Contains([]string{"text", "json", "off"}, val) {
			return errors.New("want text, json or off")
		}
		s.Log = val
	case "profile":
		if val == "" {
			return errors.New("want a file path")
		}
		s.Profile = val
	case "file":
		if val == "" {
			return errors.New("want a file path")
		}
		s.File = val
	case "action":
		if !slices.Contains([]string{"log", "panic", "exit"}, val) {
			return errors.New("want log, panic or exit")
		}
		s.Action = val
	case "fatal":
		var kinds []string
		for k := range strings.SplitSeq(val, "+") {
			if k == "" {
				return errors.New("want report kinds joined by +, such as deadlock+blocked-wait")
			}
			if !report.ValidKind(k) {
				return fmt.Errorf("unknown report kind %q; kinds: %s", k, kindList())
			}
			kinds = append(kinds, k)
		}
		s.Fatal = kinds
	case "debug":
		switch val {
		case "1", "on", "true":
			s.Debug = true
		case "0", "off", "false":
			s.Debug = false
		default:
			return errors.New("want 0 or 1")
		}
	default:
		return errors.New("unknown setting")
	}
	return nil
}

// String formats s as a GRIDLOCK value that Parse reads back to s.
func (s Settings) String() string {
	if !s.Enabled {
		return "off"
	}
	parts := []string{"on", "timeout=" + s.Timeout.String(), "log=" + s.Log, "action=" + s.Action}
	if s.Profile != "" {
		parts = append(parts, "profile="+s.Profile)
	}
	if s.File != "" {
		parts = append(parts, "file="+s.File)
	}
	if len(s.Fatal) > 0 {
		parts = append(parts, "fatal="+strings.Join(s.Fatal, "+"))
	}
	if s.Debug {
		parts = append(parts, "debug=1")
	}
	return strings.Join(parts, ",")
}

func kindList() string {
	var b strings.Builder
	for i, k := range report.Kinds {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(k))
	}
	return b.String()
}
