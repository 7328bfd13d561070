#!/bin/sh
# Runs each unit test program and sums the Check results into one line.
build=$1; shift
passed=0; failed=0
for t in "$@"; do
	out=$("$t" 2>&1); rc=$?
	echo "$out" | grep -E '^[0-9]+%: Checks' | sed "s|^|$(basename "$t"): |"
	checks=$(echo "$out" | sed -n 's/^[0-9]*%: Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2 \3/p')
	set -- $checks
	if [ -z "$checks" ]; then
		echo "$out" | tail -20
		echo "$(basename "$t"): no Check summary (exit $rc)"
		failed=$((failed + 1))
		continue
	fi
	bad=$(($2 + $3))
	passed=$((passed + $1 - bad)); failed=$((failed + bad))
	if [ "$bad" -ne 0 ] || [ "$rc" -ne 0 ]; then
		echo "$out" | grep -v '^Running suite' | head -40
		[ "$bad" -eq 0 ] && failed=$((failed + 1))
	fi
done
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
