#!/usr/bin/env bash
# Regenerates the benchmark table of gridlock against sync and go-deadlock.
#
#   benchmarks/run.sh                 run the benchmarks, then print the tables
#   benchmarks/run.sh -f bench.txt    only print the tables for saved output
#
# Environment:
#   COUNT=6           rounds, each running every benchmark once (benchstat
#                     wants >= 6 runs for its CIs)
#   BENCH=.           -bench regexp
#   BENCHTIME=1s      -benchtime
#   CPU=              -cpu list, e.g. 1,2,4 to see ParallelDistinct scale
#   OUT=              where to keep the raw output (default: a temp file)
#   BENCHSTAT=        benchstat command (default: benchstat on PATH or in
#                     $(go env GOPATH)/bin, else go run golang.org/x/perf/cmd/benchstat@latest)
#
# The Markdown table gives, for each benchmark and implementation, benchstat's
# median ns/op with its 95% confidence interval, the allocations, and the
# ratio of the median to sync's median in the same run.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
input=""
if [[ ${1:-} == "-f" ]]; then
	input=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
	shift 2
fi
cd "$here"

if [[ -n ${BENCHSTAT:-} ]]; then
	read -r -a benchstat <<<"$BENCHSTAT"
elif command -v benchstat >/dev/null 2>&1; then
	benchstat=(benchstat)
elif [[ -x "$(go env GOPATH)/bin/benchstat" ]]; then
	benchstat=("$(go env GOPATH)/bin/benchstat")
else
	benchstat=(go run golang.org/x/perf/cmd/benchstat@latest)
fi

if [[ -z $input ]]; then
	input=${OUT:-$(mktemp "${TMPDIR:-/tmp}/gridlock-bench.XXXXXX")}
	: >"$input"
	# COUNT rounds of the test binary, each running every benchmark once
	# (-count 1), rather than go test -count COUNT, which runs each
	# sub-benchmark COUNT times in a row: the host's slower and faster
	# phases (seconds long here) then fall on sync's or native's block
	# and on gridlock's unevenly, and distort the ratios. Interleaved, a
	# phase weighs on both sides of a ratio alike (as benchmarks/ab.sh).
	bin=$(mktemp "${TMPDIR:-/tmp}/gridlock-bench-bin.XXXXXX")
	trap 'rm -f "$bin"' EXIT
	go test -c -o "$bin" .
	args=(-test.run '^$' -test.bench "${BENCH:-.}" -test.benchmem -test.count 1 -test.benchtime "${BENCHTIME:-1s}" -test.timeout 10m)
	if [[ -n ${CPU:-} ]]; then
		args+=(-test.cpu "$CPU")
	fi
	echo "# ${COUNT:-6} rounds of: go test -c && ./benchmarks.test ${args[*]}" >&2
	echo "# load before the run: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown) on $(nproc 2>/dev/null || echo ?) CPUs" >&2
	for _ in $(seq "${COUNT:-6}"); do
		"$bin" "${args[@]}" | tee -a "$input" >&2
	done
	echo "# raw output: $input" >&2
fi

echo '## benchstat'
echo
echo '```'
"${benchstat[@]}" "$input"
echo '```'
echo

csv=$(mktemp "${TMPDIR:-/tmp}/gridlock-benchstat.XXXXXX")
trap 'rm -f "$csv" "${bin:-}"' EXIT
"${benchstat[@]}" -format csv "$input" >"$csv" 2>/dev/null

echo '## Table'
echo
awk -F, '
# benchstat -format csv: per unit, a header ",<file>,", then ",<unit>,CI",
# then "<name>,<value>,<ci>" rows, then a blank line.
/^,[^,]*,CI$/ { unit = $2; next }
/^$/ { unit = ""; next }
unit != "" && $1 != "geomean" && NF >= 2 {
	name = $1; procs = ""
	if (match(name, /-[0-9]+$/)) { procs = substr(name, RSTART + 1); name = substr(name, 1, RSTART - 1) }
	slash = index(name, "/")
	if (slash == 0) { bench = name; impl = "" } else { bench = substr(name, 1, slash - 1); impl = substr(name, slash + 1) }
	key = bench (procs == "" ? "" : " (GOMAXPROCS=" procs ")")
	if (!(key in seenKey)) { seenKey[key] = 1; keys[++nkeys] = key }
	if (!((key, impl) in seenImpl)) { seenImpl[key, impl] = 1; impls[key, ++nimpl[key]] = impl }
	val[key, impl, unit] = $2; ci[key, impl, unit] = $3
}
function ns(key, impl) { return val[key, impl, "sec/op"] * 1e9 }
function fmtns(x) { return x >= 100 ? sprintf("%.0f", x) : sprintf("%.1f", x) }
END {
	print "| benchmark | implementation | ns/op | ± | allocs/op | B/op | vs sync or native |"
	print "|---|---|---:|---:|---:|---:|---:|"
	for (k = 1; k <= nkeys; k++) {
		key = keys[k]
		base = ((key, "sync") in seenImpl) ? ns(key, "sync") : (((key, "native") in seenImpl) ? ns(key, "native") : 0)
		for (i = 1; i <= nimpl[key]; i++) {
			impl = impls[key, i]
			t = ns(key, impl)
			# ChanPaired: the median of its own ratio, its blocks of native
			# and gridlock interleaved (see BenchmarkChanPaired).
			if ((key, impl, "x-native") in val) ratio = sprintf("%.2fx (paired)", val[key, impl, "x-native"])
			else ratio = base > 0 ? sprintf("%.2fx", t / base) : "n/a"
			printf "| %s | %s | %s | %s | %s | %s | %s |\n", key, impl, fmtns(t), ci[key, impl, "sec/op"], val[key, impl, "allocs/op"], val[key, impl, "B/op"], ratio
		}
	}
}' "$csv"
