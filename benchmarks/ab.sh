#!/usr/bin/env bash
# Compares two or more builds of the benchmarks, interleaved: each round runs
# every binary once, in turn, so that a noisy machine disturbs all of them
# alike, and the ratio to sync (or native) is taken within each run.
#
#   benchmarks/ab.sh REGEXP ROUNDS A.test B.test ...
#
# Build the binaries from the commits to compare, e.g.
#
#   git worktree add /tmp/old HEAD~1 && (cd /tmp/old/benchmarks && go test -c -o /tmp/A.test .)
#   (cd benchmarks && go test -c -o /tmp/B.test .)
#   benchmarks/ab.sh 'BenchmarkContended/(sync|detect-on)$' 12 /tmp/A.test /tmp/B.test
#
# REGEXP is -test.bench's; each benchmark's first sub-benchmark (sync or
# native) is the baseline of its ratios, so keep it in the regexp.
# Environment: BT=300ms (-test.benchtime of each run).
#
# Prints, per binary and sub-benchmark, the median ratio with its range over
# the rounds, and the median ns/op.
set -euo pipefail

if [[ $# -lt 3 ]]; then
	sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
fi
re=$1
rounds=$2
shift 2
for bin in "$@"; do
	if [[ ! -x $bin ]]; then
		echo "ab.sh: $bin is not an executable test binary (build one with go test -c)" >&2
		exit 2
	fi
done
if ! [[ $rounds =~ ^[1-9][0-9]*$ ]]; then
	echo "ab.sh: ROUNDS must be a positive integer, not $rounds" >&2
	exit 2
fi

for _ in $(seq "$rounds"); do
	for bin in "$@"; do
		"$bin" -test.run '^$' -test.bench "$re" -test.benchtime "${BT:-300ms}" -test.count 1 |
			awk -v b="$(basename "$bin")" '
				/^Benchmark/ {
					split($1, a, "/"); sub(/-[0-9]+$/, "", a[2])
					if (!(a[1] in base)) base[a[1]] = $3
					print b, a[1] "/" a[2], $3 / base[a[1]], $3
				}'
	done
done | sort -k2,2 -k1,1 -s | awk '
	function isort(a, n,   i, j, v) {
		for (i = 2; i <= n; i++) {
			v = a[i]
			for (j = i - 1; j >= 1 && a[j] > v; j--) a[j + 1] = a[j]
			a[j + 1] = v
		}
	}
	function flush() {
		if (n == 0) return
		isort(r, n); isort(t, n)
		med = (n % 2) ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2
		tm = (n % 2) ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2
		printf "%-16s %-40s ratio %.2fx [%.2f-%.2f]  %.1f ns/op\n", pb, pk, med, r[1], r[n], tm
		n = 0; delete r; delete t
	}
	{ if ($1 != pb || $2 != pk) { flush(); pb = $1; pk = $2 } n++; r[n] = $3; t[n] = $4 }
	END { flush() }'
