package rewrite

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// CacheVersion changes whenever the rewriter's output for the same input
// changes; it is part of every cache key.
const CacheVersion = "rewrite-1"

// OverlayOptions configure BuildOverlay.
type OverlayOptions struct {
	Options
	// CacheDir holds overlays between runs (empty: no cache).
	CacheDir string
	// Version identifies the gridlock build; part of the cache key.
	Version string
	// WorkDir receives the overlay when there is no cache.
	WorkDir string
}

// Overlay is a built overlay: a file for go build -overlay.
type Overlay struct {
	Path     string // the overlay JSON file
	Plan     *Plan
	Files    int  // files replaced or added
	Cached   bool // read from the cache
	Warnings []string
	Key      string
}

type overlayJSON struct {
	Replace map[string]string
}

// BuildOverlay lists the packages, and rewrites them unless the cache has
// an overlay for exactly the same inputs.
func BuildOverlay(o OverlayOptions) (*Overlay, error) {
	plan, err := Load(o.Options)
	if err != nil {
		return nil, err
	}
	key, err := overlayKey(o, plan)
	if err != nil {
		return nil, err
	}
	ov := &Overlay{Plan: plan, Key: key}
	var dir string
	if o.CacheDir != "" {
		dir = filepath.Join(o.CacheDir, "overlay", key)
		if ok := ov.readCached(dir); ok {
			return ov, nil
		}
	} else {
		dir = filepath.Join(o.WorkDir, "overlay")
	}
	res, err := plan.Rewrite()
	if err != nil {
		return nil, err
	}
	ov.Warnings = res.Warnings
	ov.Files = len(res.Files)
	tmp := dir
	if o.CacheDir != "" {
		if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
			return nil, err
		}
		tmp, err = os.MkdirTemp(filepath.Dir(dir), key+".tmp")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
	} else if err := os.MkdirAll(tmp, 0o755); err != nil {
		return nil, err
	}
	ovj := overlayJSON{Replace: map[string]string{}}
	for i, f := range res.Files {
		name := fmt.Sprintf("%03d_%s", i, filepath.Base(f.Path))
		if err := os.WriteFile(filepath.Join(tmp, name), f.Src, 0o644); err != nil {
			return nil, err
		}
		ovj.Replace[f.Path] = filepath.Join(dir, name)
	}
	data, err := json.MarshalIndent(ovj, "", "\t")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(tmp, "warnings.txt"), []byte(strings.Join(res.Warnings, "\n")), 0o644); err != nil {
		return nil, err
	}
	// overlay.json last: its presence marks a complete entry.
	if err := os.WriteFile(filepath.Join(tmp, "overlay.json"), data, 0o644); err != nil {
		return nil, err
	}
	if o.CacheDir != "" {
		if err := os.Rename(tmp, dir); err != nil {
			// Another run stored the same entry first.
			if ov.readCached(dir) {
				return ov, nil
			}
			return nil, err
		}
		pruneCache(filepath.Dir(dir), 7*24*time.Hour)
	}
	ov.Path = filepath.Join(dir, "overlay.json")
	return ov, nil
}

func (ov *Overlay) readCached(dir string) bool {
	data, err := os.ReadFile(filepath.Join(dir, "overlay.json"))
	if err != nil {
		return false
	}
	var ovj overlayJSON
	if json.Unmarshal(data, &ovj) != nil {
		return false
	}
	for _, p := range ovj.Replace {
		if _, err := os.Stat(p); err != nil {
			return false
		}
	}
	if w, err := os.ReadFile(filepath.Join(dir, "warnings.txt")); err == nil && len(w) > 0 {
		ov.Warnings = strings.Split(string(w), "\n")
	}
	now := time.Now()
	os.Chtimes(dir, now, now) // mark as recently used for pruning
	ov.Path = filepath.Join(dir, "overlay.json")
	ov.Files = len(ovj.Replace)
	ov.Cached = true
	return true
}

// overlayKey hashes everything the overlay depends on: the rewriter and
// gridlock versions, the options, the build flags, the versions of the
// other modules and the path and content of every input file.
func overlayKey(o OverlayOptions, plan *Plan) (string, error) {
	h := sha256.New()
	// The temporary -modfile differs from run to run; what it selects is
	// in plan.Modules.
	var flags []string
	for _, f := range o.Go.Flags {
		if !strings.HasPrefix(f, "-modfile=") {
			flags = append(flags, f)
		}
	}
	fmt.Fprintf(h, "%s\n%s\n%+v\n%v\n%q\n%q\n", CacheVersion, o.Version, o.Mode, o.Scope, flags, plan.Modules)
	read := o.ReadFile
	if read == nil {
		read = os.ReadFile
	}
	for _, f := range plan.Inputs {
		data, err := read(f)
		if err != nil {
			return "", &LoadError{Msg: fmt.Sprintf("read %s: %v", f, err)}
		}
		fmt.Fprintf(h, "%s %d\n", f, len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))[:32], nil
}

// pruneCache removes entries not used for maxAge, and leftovers of
// interrupted writes.
func pruneCache(dir string, maxAge time.Duration) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			continue
		}
		if time.Since(info.ModTime()) > maxAge || strings.Contains(e.Name(), ".tmp") && time.Since(info.ModTime()) > time.Hour {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

// CopyFile copies src to dst.
func CopyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
