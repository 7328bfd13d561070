#!/bin/bash
# An i2prd floodfill under lookup load, the test that would have caught
# netd's death under the lookup benchmark (audit #1): it holds N
# generated RouterInfos whose addresses nothing routes, so that each of
# its sends to them dials, fails inside connect() and redials; 16
# drivers (tests/bench/netdb_load.c) keep lookups outstanding for
# SECONDS, twice.  The suite must stay up, answer throughout, and its
# memory stay bounded.  Runs with MALLOC_PERTURB_, so that a use after
# free crashes at once.  Needs root (namespaces), not i2pd.
#
#   bash tests/interop/ff_load.sh BUILD_DIR [SECONDS] [N]
set -u
build=$(cd "${1:-build}" && pwd)
secs=${2:-5}
n=${3:-2000}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "ff_load: needs root"; exit 1; }
getent passwd _i2prd >/dev/null || useradd --system --no-create-home \
    --home-dir /nonexistent --shell /usr/sbin/nologin _i2prd

tmp=$(mktemp -d /tmp/i2prd-ffload.XXXXXX)
chmod 0755 "$tmp"
ns=i2prd-ffload-$$
trap testnet_cleanup EXIT
netns_up "$ns" 2 $(seq 10 26)

"$build/tests/netdb_gen" "$tmp/gen" "$n" "$tmp/keys" >/dev/null || exit 1
mkdir -p "$tmp/state/router"
cp -r "$tmp/gen" "$tmp/state/router/netDb"
chown -R _i2prd "$tmp/state/router"
i2prd_write_conf "$tmp" 198.18.0.2 "log level warning" "floodfill yes" \
    "floodfill lookups 1000000 burst 1000000"
MALLOC_PERTURB_=165 i2prd_run
sleep 3
held=$(ctl_json netdb routers)
echo "    i2prd holds $held RouterInfos"
up() { suite_up "$tmp"; }
rss() { suite_rss "$tmp"; }
check "the floodfill holds the generated RouterInfos" test "${held:-0}" -ge "$n"
rss0=$(rss)
for r in 1 2; do
	out=$(ip netns exec "$ns" "$build/tests/netdb_load" \
	    "$tmp/state/router/router.info" 198.18.0.10 "$secs" 16 "$tmp/keys")
	echo "    run $r: $out"
	took=$(echo "$out" | sed -n 's/.* in \([0-9.]*\) s:.*/\1/p')
	check "run $r: answered for the whole $secs s" \
	    awk -v t="${took:-0}" -v s="$secs" 'BEGIN { exit !(t >= s) }'
	check "run $r: the suite still runs" up
done
rss1=$(rss)
echo "    RSS $rss0 kB before the lookups, $rss1 kB after"
check "memory bounded: RSS after under twice before plus 32 MB" \
    test "$rss1" -lt $((2 * rss0 + 32768))
grep -q "terminated by signal" "$tmp/i2prd.log" &&
    grep "terminated by signal" "$tmp/i2prd.log" | sed 's/^/    /'
echo "ff_load: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
