package rewrite

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/version"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
)

// ModulePath is the path of the gridlock module.
const ModulePath = "github.com/gridlock-go/gridlock"

// ModuleDir returns the root directory of the gridlock module this program
// was built from: the directory two levels above this source file, as
// recorded in the binary (builds without -trimpath). It returns "" when the
// binary does not know it or the directory is gone.
func ModuleDir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	dir := filepath.Dir(filepath.Dir(filepath.Dir(file)))
	if IsGridlockModule(dir) {
		return dir
	}
	return ""
}

// IsGridlockModule reports whether dir holds the gridlock module's go.mod.
func IsGridlockModule(dir string) bool {
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	return modulePath(data) == ModulePath
}

// modulePath returns the module path declared in a go.mod file.
func modulePath(gomod []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

// goModJSON is `go mod edit -json` output.
type goModJSON struct {
	Module  struct{ Path string }
	Go      string
	Require []struct {
		Path     string
		Version  string
		Indirect bool
	}
	Replace []struct {
		Old struct{ Path, Version string }
	}
	GoDebug []struct{ Key, Value string }
}

func readGoMod(g GoCmd, path string) (*goModJSON, error) {
	cmd := g.command("mod", "edit", "-json", path)
	out, err := cmd.Output()
	if err != nil {
		msg := err.Error()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			msg = strings.TrimSpace(string(ee.Stderr))
		}
		return nil, fmt.Errorf("go mod edit -json %s: %s", path, msg)
	}
	var m goModJSON
	if err := json.Unmarshal(out, &m); err != nil {
		return nil, fmt.Errorf("go mod edit -json %s: %v", path, err)
	}
	return &m, nil
}

// ModuleSetup says how the module under test gets to use gridlock.
type ModuleSetup struct {
	// Flags to give the go command (-modfile=..., -mod=mod), none when the
	// module needs no change.
	Flags []string
	// Env to add for the go command.
	Env []string
	// GoVersion is the language version of the main module's go line when
	// requiring gridlock raises it (see Mode.GoVersion), else "".
	GoVersion string
}

// SetupModule prepares, in tmp, a copy of the go.mod (and go.sum) of the
// main module in g.Dir that requires gridlock, replaced by gridlockDir, and
// gridlock's own requirements, with gridlock's go.sum lines added. The
// user's files are not changed. When the main module is gridlock itself or
// already requires it, nothing is needed.
func SetupModule(g GoCmd, gridlockDir, tmp string) (*ModuleSetup, error) {
	out, err := g.command("env", "GOMOD", "GOWORK").Output()
	if err != nil {
		return nil, fmt.Errorf("go env: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out))+"\n", "\n")
	gomod, gowork := strings.TrimSpace(lines[0]), strings.TrimSpace(lines[1])
	if gomod == "" || gomod == os.DevNull {
		return nil, &LoadError{Msg: "no go.mod found in " + g.Dir + " or its parents: gridlock test runs in a module"}
	}
	setup := &ModuleSetup{}
	if gowork != "" && gowork != "off" {
		// -modfile cannot be used with workspaces.
		setup.Env = append(setup.Env, "GOWORK=off")
	}
	user, err := readGoMod(g, gomod)
	if err != nil {
		return nil, err
	}
	if user.Module.Path == ModulePath {
		return setup, nil
	}
	for _, r := range user.Require {
		if r.Path == ModulePath {
			return setup, nil
		}
	}
	if gridlockDir == "" {
		return nil, &LoadError{Msg: "cannot find the gridlock module to build the tests with: give its directory with -gridlock-module DIR or GRIDLOCK_MODULE=DIR"}
	}
	glMod, err := readGoMod(g, filepath.Join(gridlockDir, "go.mod"))
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(gomod)
	if err != nil {
		return nil, err
	}
	modfile := filepath.Join(tmp, "go.mod")
	if err := os.WriteFile(modfile, data, 0o644); err != nil {
		return nil, err
	}
	// go.sum: the user's, then gridlock's lines it lacks.
	var sum []byte
	seen := map[string]bool{}
	for _, f := range []string{strings.TrimSuffix(gomod, ".mod") + ".sum", filepath.Join(gridlockDir, "go.sum")} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			return nil, err
		}
		for _, l := range strings.SplitAfter(string(b), "\n") {
			if t := strings.TrimSpace(l); t != "" && !seen[t] {
				seen[t] = true
				sum = append(sum, t+"\n"...)
			}
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, "go.sum"), sum, 0o644); err != nil {
		return nil, err
	}
	args := []string{"mod", "edit",
		"-require=" + ModulePath + "@v0.0.0-00010101000000-000000000000",
		"-replace=" + ModulePath + "=" + gridlockDir}
	have := map[string]bool{}
	for _, r := range user.Require {
		have[r.Path] = true
	}
	for _, r := range glMod.Require {
		if !have[r.Path] {
			args = append(args, "-require="+r.Path+"@"+r.Version)
		}
	}
	if v, gl := langVersion(user.Go), langVersion(glMod.Go); v != "" && gl != "" && version.Compare(v, gl) < 0 {
		setup.GoVersion = v
		// The test binaries' GODEBUG defaults follow the main module's go
		// line, which the requirement raised: keep the user's (math/rand's
		// Seed, timer channels, x509 settings...), unless go.mod sets them.
		sets := func(key string) bool {
			return slices.ContainsFunc(user.GoDebug, func(d struct{ Key, Value string }) bool { return d.Key == key })
		}
		if !sets("default") {
			args = append(args, "-godebug=default="+v)
			// Except timer channels: gridlock tells a wait on a timer (a
			// select with a time.After case) by the runtime's link from the
			// channel to its timer, which Go 1.23's synchronous timer
			// channels have and the older ones do not.
			if version.Compare(v, "go1.23") < 0 && !sets("asynctimerchan") {
				args = append(args, "-godebug=asynctimerchan=0")
			}
		}
	}
	args = append(args, modfile)
	if out, err := g.command(args...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go mod edit: %v: %s", err, out)
	}
	setup.Flags = []string{"-modfile=" + modfile, "-mod=mod"}
	return setup, nil
}
