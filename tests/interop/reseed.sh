#!/bin/bash
# Interop: reseeding i2prd from a file of i2pd 2.45.1 RouterInfos.
#
# The RouterInfos of four i2pd routers go into a zip (routerInfo-*.dat,
# as reseed servers pack them).  A new i2prd with an empty netDb imports
# it with "i2pctl reseed import", keeps the routers (also across a
# restart), and once the i2pd routers run, dials them: it bootstrapped
# from the file.  Bad files are refused with their reason and change
# nothing.
#
#   bash tests/interop/reseed.sh BUILD_DIR
set -u
build=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
interop_require reseed

tmp=$(mktemp -d /tmp/i2prd-reseed.XXXXXX)
chmod 0755 "$tmp"
ns=i2prd-rs-$$
me=198.18.0.10
n_i2pd=4
ctl() { ip netns exec "$ns" "$build/i2pctl" -s "$tmp/i2prd.sock" "$@"; }
trap testnet_cleanup EXIT
netns_up "$ns" $(seq 1 $n_i2pd) 10
i2pd_identities 2

# zip NAME [python statements adding to z]: a reseed zip of the four
mkzip() {
	python3 - "$tmp" "$n_i2pd" "$tmp/$1" "${2:-}" <<'PY'
import sys, zipfile, hashlib, base64
tmp, n, out, extra = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
z = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
for i in range(1, n + 1):
    ri = open(f"{tmp}/i2pd{i}/router.info", "rb").read()
    h = base64.b64encode(hashlib.sha256(ri[:391]).digest(), b"-~").decode()
    z.writestr(f"routerInfo-{h}.dat", ri)
exec(extra)
z.close()
PY
}
mkzip good.zip
mkzip extra.zip 'z.writestr("readme.txt", b"hello")'
mkzip badsig.zip 'ri = bytearray(open(f"{tmp}/i2pd1/router.info", "rb").read()); ri[-1] ^= 1; z.writestr("routerInfo-x.dat", bytes(ri))'
echo "not a zip" > "$tmp/text.txt"
printf 'I2Psu3\0\0\0\0' > "$tmp/fake.su3"

mkdir -p "$tmp/state/router"
chown -R _i2prd "$tmp/state/router"
i2prd_write_conf "$tmp" "$me" "log level debug"
i2prd_run
routers() { ctl_json netdb routers; }

# import: refused without a trace, or accepted
refused() {	# file, expected reason
	local out
	out=$(ctl reseed import "$tmp/$1" 2>&1)
	echo "    $1: $out"
	echo "$out" | grep -q "$2" && [ "$(routers)" -eq 0 ]
}
check "a text file is refused" refused text.txt "not a zip or su3 file"
check "a zip with another entry is refused" refused extra.zip \
    "entry readme.txt is not a RouterInfo"
check "a RouterInfo with a bad signature is refused" refused badsig.zip \
    "bad signature"
check "a truncated su3 file is refused" refused fake.su3 \
    "su3: truncated file"
check "i2pctl exits non-zero on a refused file" bash -c \
    "! ip netns exec '$ns' '$build/i2pctl' -s '$tmp/i2prd.sock' reseed import '$tmp/text.txt' >/dev/null 2>&1"
check "a missing file is i2pctl's error" bash -c \
    "! ip netns exec '$ns' '$build/i2pctl' -s '$tmp/i2prd.sock' reseed import '$tmp/nonexistent' 2>/dev/null"

out=$(ctl reseed import "$tmp/good.zip")
echo "    good.zip: $out"
check "the reseed zip is imported" bash -c "echo '$out' | grep -q '4 RouterInfos imported'"
check "show netdb counts the 4 routers, 2 floodfills" bash -c \
    "[ \$(ip netns exec '$ns' '$build/i2pctl' -s '$tmp/i2prd.sock' -j show netdb |
      python3 -c 'import json,sys; d=json.load(sys.stdin)[\"netdb\"]; print(d[\"routers\"], d[\"floodfills\"])' | tr ' ' :) = 4:2 ]"
out=$(ctl reseed import "$tmp/good.zip")
check "importing again finds them known" bash -c "echo '$out' | grep -q '0 RouterInfos imported, 4 already known'"
check "the RouterInfos are on disk" bash -c \
    "[ \$(ls '$tmp'/state/router/netDb/r*/routerInfo-*.dat | wc -l) -eq 4 ]"

# a restart keeps them
i2prd_stop
rm -f "$tmp/state/router/router.info"
i2prd_run
check "a restart keeps the imported routers" test "$(routers)" -eq 4

# the i2pd routers come up; i2prd knows them only from the file
for i in $(seq 1 $n_i2pd); do i2pd_start "$i"; done
for _ in $(seq 90); do
	[ "$(ctl show peers | awk 'NR > 1' | wc -l)" -ge 2 ] && break
	sleep 1
done
ctl show peers | sed 's/^/    /'
check "i2prd bootstrapped: sessions with routers from the file" \
    test "$(ctl show peers | awk 'NR > 1 && $3 == "out"' | wc -l)" -ge 1
check "the suite is still running" kill -0 "$(cat "$tmp/i2prd.pid")"
echo "reseed: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
