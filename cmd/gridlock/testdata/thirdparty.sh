#!/usr/bin/env bash
# thirdparty.sh: run the test suites of real third-party modules with plain
# "go test" and with "gridlock test", and compare them (packages ok/FAIL,
# tests passed/failed/skipped, gridlock reports, wall time).
#
# Not part of "go test ./..." (it is a script in testdata, which the go
# command ignores). Needs network access to the Go module proxy, and a few
# minutes on 2 cores. Results are written up in THIRDPARTY.md next to it.
#
# Usage (from anywhere):
#
#	cmd/gridlock/testdata/thirdparty.sh [module@version ...]
#
# Environment:
#
#	THIRDPARTY_DIR  where the modules are copied and logs written
#	                (default /tmp/thirdparty; it is wiped per module)
#	GRIDLOCK_FLAGS  extra flags for "gridlock test" (default none)
#	TEST_TIMEOUT    go test -timeout for both runs (default 10m)
#	PKGS            the packages to test in each module, space-separated
#	                (default ./...; e.g. "./prometheus" or ". ./zstd")
#	EXTRA_FLAGS     go test flags for both runs of a module that has none
#	                of its own below (e.g. -short)
#
# The module sources are fetched with "go mod download -json" and copied
# out of the module cache into a writable directory, because the go command
# refuses -overlay for files inside the module cache. A module without a
# go.mod (pre-modules, "+incompatible") gets one from "go mod init" and
# "go mod tidy" in the copy. A module of a multi-module repository whose
# go.mod replaces its siblings with local paths (../sdk) has those replaces
# dropped in the copy, which lacks the siblings: their released versions
# are used.
set -u
read -r -a pkgs <<<"${PKGS:-./...}"

# local_replaces prints the module paths that the go.mod in the current
# directory replaces with a local path.
local_replaces() {
	go mod edit -print | awk '
		/^replace \($/ { inblock = 1; next }
		inblock && /^\)/ { inblock = 0; next }
		inblock && /=> \.\.?\// { print $1; next }
		/^replace [^(].* => \.\.?\// { print $2 }'
}

here=$(cd "$(dirname "$0")" && pwd)
gridlock_module=$(cd "$here/../../.." && pwd)
work=${THIRDPARTY_DIR:-/tmp/thirdparty}
timeout=${TEST_TIMEOUT:-10m}
read -r -a gflags <<<"${GRIDLOCK_FLAGS:-}"

modules=("$@")
if [ ${#modules[@]} -eq 0 ]; then
	modules=(
		golang.org/x/sync@v0.25.0
		golang.org/x/time@v0.16.0
		go.uber.org/goleak@v1.3.0
		go.uber.org/atomic@v1.12.0
		github.com/sasha-s/go-deadlock@v0.3.9
		github.com/cenkalti/backoff/v4@v4.3.0
		github.com/patrickmn/go-cache@v2.1.0+incompatible
		github.com/hashicorp/golang-lru/v2@v2.0.7
	)
fi

mkdir -p "$work/bin" || exit 2
echo "building gridlock from $gridlock_module"
(cd "$gridlock_module" && go build -o "$work/bin/gridlock" ./cmd/gridlock) || exit 2
gridlock=$work/bin/gridlock

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# count FILE ACTION: test events (top level and subtests) with that action.
count() { grep -E '^\{' "$1" | grep -F "\"Action\":\"$2\"" | grep -cF '"Test":'; }
# pkgs FILE ACTION: package-level events with that action.
pkgs() { grep -E '^\{' "$1" | grep -F "\"Action\":\"$2\"" | grep -vcF '"Test":'; }
# names FILE ACTION: sorted "package test" pairs with that action.
names() {
	grep -E '^\{' "$1" | grep -F "\"Action\":\"$2\"" | grep -F '"Test":' |
		sed -E 's/.*"Package":"([^"]*)".*"Test":"([^"]*)".*/\1 \2/' | sort
}

# binreports FILE: the sum of the "gridlock: N report(s) in this test binary
# [(M with repeats)]" lines the test binaries printed (detect.RunTests),
# with their repeats (M when given), to compare with the number of reports
# the CLI printed, which counts repeats.
binreports() {
	grep -oE 'gridlock: [0-9]+ report\(s\) in this test binary( \([0-9]+ with repeats\))?' "$1" |
		awk '{ n += ($8 ~ /^\(/) ? substr($8, 2) : $2 } END { print n + 0 }'
}

# Extra go test flags for both runs of a module.
declare -A extra=(
	# go vet's "tests" analyzer fails the package in plain go test
	# (example_test.go:23: ExampleRetryContext refers to unknown identifier).
	[github.com/cenkalti/backoff/v4]=-vet=off
)
# Flags for an additional gridlock run of a module.
declare -A again=(
	# Its tests deadlock goroutines on purpose (fixtures for its own
	# detector); with the default -fatal=deadlock+blocked-wait the first
	# deadlock report ends the test binary and the later tests never run.
	[github.com/sasha-s/go-deadlock]=-fatal=
)

summary=()
header() { printf '%-22s %4s %4s %6s %5s %5s %5s %8s %7s %s\n' run exit pkOK pkFAIL pass fail skip time reports binreports; }
# row LABEL EXIT FILE TIME REPORTS
row() {
	printf '%-22s %4s %4s %6s %5s %5s %5s %7ss %7s %s\n' "$1" "$2" "$(pkgs "$3" pass)" "$(pkgs "$3" fail)" \
		"$(count "$3" pass)" "$(count "$3" fail)" "$(count "$3" skip)" "$4" "$5" "${6:-}"
	summary+=("$(printf '%-50s %-22s exit %s  %4s passed %3s failed %3s skipped  %6ss  reports %s%s' \
		"$mv" "$1" "$2" "$(count "$3" pass)" "$(count "$3" fail)" "$(count "$3" skip)" "$4" "$5" \
		"${6:+ (binaries: $6)}")")
}
# run_gridlock LABEL OUT FLAGS...: runs gridlock test in $dir, prints its row,
# the passed tests that differ from the plain run, and its non-JSON output.
run_gridlock() {
	local label=$1 out=$2
	shift 2
	local t1 t2 rc reports
	t1=$(now)
	(cd "$dir" && "$gridlock" test "${gflags[@]}" -gridlock-module "$gridlock_module" \
		"${xf[@]}" "$@" -count=1 -timeout "$timeout" "${pkgs[@]}" -- -json >"$out" 2>&1)
	rc=$?
	t2=$(now)
	reports=$(sed -nE 's/^gridlock: ([0-9]+) reports? .*/\1/p' "$out" | tail -1)
	[ -n "$reports" ] || reports='?'
	row "$label" "$rc" "$out" "$(elapsed "$t1" "$t2")" "$reports" "$(binreports "$out")"
	local diffs
	diffs=$(diff <(names "$plain" pass) <(names "$out" pass))
	if [ -n "$diffs" ]; then
		echo "  passed tests differ (< plain only, > $label only):"
		echo "$diffs" | grep -E '^[<>]' | sed 's/^/    /'
	fi
	# Non-JSON lines of the gridlock run: notes, build errors, report
	# headlines, the summary (the full reports are in $out).
	grep -vE '^\{' "$out" | grep -E '^(gridlock|ok|FAIL|\?|#|[^ ]+\.go:[0-9]+)' | sed 's/^/  | /' | head -40
}

for mv in "${modules[@]}"; do
	mod=${mv%@*}
	name=$(basename "${mod%/v[0-9]*}")
	dir=$work/$name
	echo
	echo "=== $mv"
	src=$(go mod download -json "$mv" | sed -nE 's/^[[:space:]]*"Dir": "(.*)",?$/\1/p')
	if [ -z "$src" ] || [ ! -d "$src" ]; then
		echo "go mod download $mv failed"
		summary+=("$(printf '%-50s %s' "$mv" "download failed")")
		continue
	fi
	rm -rf "$dir" && cp -r "$src" "$dir" && chmod -R u+w "$dir" || exit 2
	if [ ! -f "$dir/go.mod" ]; then
		(cd "$dir" && go mod init "$mod" >/dev/null 2>&1 && go mod tidy >/dev/null 2>&1) ||
			echo "warning: go mod init/tidy failed in $dir"
	fi
	replaced=$(cd "$dir" && local_replaces)
	for r in $replaced; do
		(cd "$dir" && go mod edit -dropreplace="$r") && echo "dropped the local replace of $r"
	done
	if [ -n "$replaced" ]; then
		(cd "$dir" && go mod tidy >/dev/null 2>&1) || echo "warning: go mod tidy failed in $dir"
	fi
	(cd "$dir" && go mod download >/dev/null 2>&1)

	read -r -a xf <<<"${extra[$mod]:-${EXTRA_FLAGS:-}}"
	[ ${#xf[@]} -eq 0 ] || echo "go test flags for every run: ${xf[*]}"
	plain=$work/$name.plain.json
	header
	t0=$(now)
	(cd "$dir" && go test "${xf[@]}" -count=1 -timeout "$timeout" -json "${pkgs[@]}" >"$plain" 2>&1)
	prc=$?
	t1=$(now)
	row "go test" "$prc" "$plain" "$(elapsed "$t0" "$t1")" "-"
	grep -E '^\{' "$plain" | grep -F '"Action":"build-output"' | sed -E 's/.*"Output":"(.*)"\}$/  | \1/' | head -10

	run_gridlock "gridlock test" "$work/$name.gridlock.out"
	if [ -n "${again[$mod]:-}" ]; then
		read -r -a af <<<"${again[$mod]}"
		run_gridlock "gridlock test ${af[*]}" "$work/$name.gridlock2.out" "${af[@]}"
	fi
done

echo
echo "=== summary ($(date -u +%Y-%m-%d), $(go version | cut -d' ' -f3-), $(nproc) CPUs)"
printf '%s\n' "${summary[@]}"
echo "reports: printed by gridlock test; binaries: sum of the test binaries' \"gridlock: N report(s) in this test binary\" lines"
echo "logs: $work/<name>.plain.json (go test -json), $work/<name>.gridlock*.out (gridlock test ... -- -json)"
