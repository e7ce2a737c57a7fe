package rewrite

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// bigPackage writes a module with one package of about lines lines full
// of channel operations, selects and sync use, and returns its directory.
func bigPackage(t testing.TB, lines int) string {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("package big\n\nimport (\n\t\"fmt\"\n\t\"sync\"\n\t\"time\"\n)\n\n")
	b.WriteString("type item struct{ id int; name string }\n\n")
	n := 0
	for i := 0; strings.Count(b.String(), "\n") < lines; i++ {
		fmt.Fprintf(&b, `// worker%[1]d moves items between channels.
func worker%[1]d(in <-chan item, out chan<- item, quit chan struct{}, mu *sync.Mutex, wg *sync.WaitGroup) (n int) {
	defer wg.Done()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case it, ok := <-in:
			if !ok {
				return n
			}
			mu.Lock()
			n += it.id
			mu.Unlock()
			out <- item{id: it.id + %[1]d, name: fmt.Sprint(it.name, %[1]d)}
		case <-tick.C:
			continue
		case <-quit:
			return n
		}
	}
}

func pipeline%[1]d(k int) int {
	in, out, quit := make(chan item, k), make(chan item, k), make(chan struct{})
	var mu sync.Mutex
	var wg sync.WaitGroup
	wg.Add(1)
	go worker%[1]d(in, out, quit, &mu, &wg)
	for j := range k {
		in <- item{id: j}
	}
	close(in)
	sum := 0
	for range k {
		v := <-out
		sum += v.id
	}
	wg.Wait()
	close(out)
	for v := range out {
		sum += v.id
	}
	return sum
}

`, i)
		n++
	}
	pkg := filepath.Join(dir, "big")
	os.MkdirAll(pkg, 0o755)
	os.WriteFile(filepath.Join(pkg, "big.go"), []byte(b.String()), 0o644)
	os.WriteFile(filepath.Join(pkg, "big_test.go"), []byte("package big\n\nimport \"testing\"\n\nfunc TestBig(t *testing.T) { _ = pipeline0(3) }\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/big\n\ngo 1.26\n"), 0o644)
	return dir
}

// TestOverlayTiming10k measures building the overlay of a 10,000-line
// package: the whole BuildOverlay (go list, type-check, rewrite, write)
// without and with the cache, and the rewrite alone.
func TestOverlayTiming10k(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	dir := bigPackage(t, 10000)
	cache := t.TempDir()
	opts := OverlayOptions{
		Options: Options{
			Mode:     Mode{Sync: true, Chans: true, TestMain: true, LineDirectives: true},
			Go:       GoCmd{Dir: dir},
			Patterns: []string{"./big"},
		},
		CacheDir: cache,
		Version:  "test",
	}
	// Warm go's build cache for the dependencies first: that is go build's
	// work, not the rewriter's.
	if _, err := GoList(opts.Go, true, opts.Patterns); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	ov, err := BuildOverlay(opts)
	if err != nil {
		t.Fatal(err)
	}
	uncached := time.Since(start)
	if ov.Cached || ov.Files != 3 {
		t.Fatalf("first BuildOverlay: cached %v, %d files; want not cached, 3 files (big.go rewritten, TestBig marked, TestMain added)", ov.Cached, ov.Files)
	}
	for _, w := range ov.Warnings {
		t.Error("warning:", w)
	}
	start = time.Now()
	ov, err = BuildOverlay(opts)
	if err != nil {
		t.Fatal(err)
	}
	cached := time.Since(start)
	if !ov.Cached {
		t.Error("second BuildOverlay did not use the cache")
	}
	plan, err := Load(opts.Options)
	if err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	if _, err := plan.Rewrite(); err != nil {
		t.Fatal(err)
	}
	rewriteOnly := time.Since(start)
	t.Logf("10k-line package: overlay uncached %v, cached %v; list+type-check+rewrite %v", uncached, cached, rewriteOnly)
	t.Logf("uncached overlay: %v (the issue's target: well under a second; logged, not asserted: machines are noisy)", uncached)
}

func BenchmarkRewrite10k(b *testing.B) {
	dir := bigPackage(b, 10000)
	plan, err := Load(Options{Mode: Mode{Sync: true, Chans: true, TestMain: true, LineDirectives: true}, Go: GoCmd{Dir: dir}, Patterns: []string{"./big"}})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := plan.Rewrite(); err != nil {
			b.Fatal(err)
		}
	}
}
