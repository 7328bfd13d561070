#!/bin/sh
# Runs each fuzz target built by "make fuzz" for a while:
#
#   sh tests/fuzz/run.sh BUILD_FUZZ_DIR [seconds]
#
# Each BUILD_FUZZ_DIR/fuzz/fuzz_NAME runs for the given seconds (default
# 10) on its working corpus BUILD_FUZZ_DIR/fuzz/corpus/fuzz_NAME (kept
# between runs; new inputs go there), seeded from tests/fuzz/corpus/
# fuzz_NAME if that exists.  A target passes if it ran its time without a
# crash, leak or timeout.  One line per target, then a summary line; the
# whole libFuzzer output of each is in BUILD_FUZZ_DIR/fuzz/fuzz_NAME.log,
# a crashing input in BUILD_FUZZ_DIR/fuzz/artifacts/.
#
# -close_fd_mask=3: the targets' own output (the parser's and imsg
# checks' warnings, i2pctl's) is discarded; libFuzzer and the sanitizers
# still report on the original stderr.
build=$1
secs=${2:-10}
if [ -z "$build" ] || [ ! -d "$build/fuzz" ]; then
	echo "usage: sh tests/fuzz/run.sh BUILD_FUZZ_DIR [seconds]" >&2
	echo "(no $build/fuzz: run \"make fuzz\" first)" >&2
	exit 1
fi
seeds=$(dirname "$0")/corpus
passed=0; failed=0
for t in "$build"/fuzz/fuzz_*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	name=$(basename "$t")
	corpus=$build/fuzz/corpus/$name
	artifacts=$build/fuzz/artifacts
	log=$build/fuzz/$name.log
	mkdir -p "$corpus" "$artifacts"
	set -- "$corpus"
	[ -d "$seeds/$name" ] && set -- "$corpus" "$seeds/$name"
	"$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -close_fd_mask=3 -print_final_stats=1 \
	    -artifact_prefix="$artifacts/$name-" "$@" </dev/null >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	cov=$(sed -n 's/^#[0-9].*cov: \([0-9]*\) .*/\1/p' "$log" | tail -1)
	stats="runs ${runs:-?}, exec/s ${eps:-?}, cov ${cov:-?}"
	if [ "$rc" -eq 0 ] && grep -q '^Done [0-9]* runs' "$log"; then
		echo "$name: ok ($stats)"
		passed=$((passed + 1))
	else
		what=$(grep -m1 -E '^(==[0-9]+==ERROR|SUMMARY)' "$log")
		echo "$name: FAILED, exit $rc (${what:-see $log}; $stats)"
		grep -E '^(Test unit written|artifact_prefix)' "$log" | \
		    sed "s|^|$name: |"
		failed=$((failed + 1))
	fi
done
if [ $((passed + failed)) -eq 0 ]; then
	echo "fuzz: no targets in $build/fuzz" >&2
	exit 1
fi
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
