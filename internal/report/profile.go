package report

import (
	"errors"
	"io"
)

// ReadProfile reads the reports stored in a gridlock pprof profile.
func ReadProfile(r io.Reader) ([]Report, error) {
	return nil, errors.New("parse profile: not a JSON report file")
}

// WriteProfile writes reps as a pprof profile.
func WriteProfile(w io.Writer, reps []Report) error {
	return errors.New("build profile: not implemented yet")
}
