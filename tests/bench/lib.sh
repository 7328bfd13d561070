# Shared by the benchmark scripts (sourced): the two routers' processes
# and what they cost, and medians printed side by side.  The caller
# sets tmp (i2pd in $tmp/i2pd, with its pid file) and ns.

# the target's processes: i2pd's one, or every process of our suite
pids_of() {
	if [ "$1" = i2pd ]; then cat "$tmp/i2pd/i2pd.pid"
	else ip netns pids "$ns" | grep -vx "$(cat "$tmp/i2pd/i2pd.pid")"; fi
}
cpu_ticks() {	# utime + stime of the target's processes
	local p t=0
	for p in $(pids_of "$1"); do
		t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo "$t"
}
# proportional set size: shared pages (libcrypto in all five of our
# processes) count once, split among the processes that map them
pss_kb() {
	local p t=0
	for p in $(pids_of "$1"); do
		t=$((t + $(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)))
	done
	echo "$t"
}
hz=$(getconf CLK_TCK)

declare -A res
record() { res[$1]="${res[$1]:-} $2"; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END {
	if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2];
	else printf "%.6g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

row() {	# label, key
	printf '%-40s %14s %14s\n' "$1" "$(echo "${res[i2pd.$2]:-}" | median)" \
	    "$(echo "${res[i2prd.$2]:-}" | median)"
}
header() {
	printf '%-40s %14s %14s\n' "" "i2pd $(i2pd --version 2>/dev/null |
	    sed -n '1s/.*version \([0-9.]*\).*/\1/p')" "i2prd"
}
