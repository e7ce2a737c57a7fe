package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// WriteJSON writes r as one line of JSON.
func WriteJSON(w io.Writer, r *Report) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// ReadFile reads a report file: JSON lines as written by GRIDLOCK=file=...,
// or a gridlock pprof profile.
func ReadFile(path string) ([]Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	return Read(bytes.NewReader(data))
}

// Read reads reports from r, in either format ReadFile accepts. Errors are
// prefixed by the stage that failed and name the line.
func Read(r io.Reader) ([]Report, error) {
	br := bufio.NewReader(r)
	if !looksLikeJSON(br) {
		return ReadProfile(br)
	}
	var out []Report
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 0, 64<<10), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		rep, stage, err := decodeReport(b)
		if err != nil {
			if stage == "" {
				stage = "parse json"
			}
			return out, fmt.Errorf("%s: line %d: %w", stage, line, err)
		}
		out = append(out, rep)
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("read: line %d: %w", line+1, err)
	}
	return out, nil
}

// decodeReport decodes one report from JSON, strictly: unknown fields,
// trailing data and a report that fails Check are errors. A failed Check
// is reported with stage "check"; a decoding error with stage "".
func decodeReport(b []byte) (rep Report, stage string, err error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		return rep, "", err
	}
	if dec.More() {
		return rep, "", errors.New("data after the report")
	}
	if err := rep.Check(); err != nil {
		return rep, "check", err
	}
	return rep, "", nil
}

// looksLikeJSON reports whether the input starts, after white space, with a
// JSON object (a report file) rather than a profile (gzip or protobuf).
func looksLikeJSON(br *bufio.Reader) bool {
	head, _ := br.Peek(512)
	for _, c := range head {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '{':
			return true
		}
		return false
	}
	return len(head) == 0 // empty: no reports
}

// Check reports whether r is a well-formed report: a known kind and a
// summary.
func (r *Report) Check() error {
	if !ValidKind(string(r.Kind)) {
		return fmt.Errorf("unknown report kind %q", r.Kind)
	}
	if r.Summary == "" {
		return errors.New("report has no summary")
	}
	if r.Count < 0 {
		return fmt.Errorf("negative count %d", r.Count)
	}
	return nil
}
