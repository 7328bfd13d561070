#!/bin/bash
# Interop: su3 reseed files made by "i2pctl reseed export", read by a
# new i2prd and by i2pd 2.45.1 (reseed.file, reseed.verify = true).
#
# i2prd A knows four i2pd routers and exports an su3 signed with the
# reseed key its cryptod makes; "i2pctl reseed certificate" gives the
# signer's certificate.  Then:
# - a new i2prd B, trusting that certificate, imports the file and
#   joins the network from it; damaged, truncated and foreign-signed
#   files are refused with their reason and change nothing;
# - a new i2pd bootstraps from the same file, given the certificate;
#   another, given a copy with one byte changed, refuses it (the
#   control: i2pd really checks what we sign);
# - a new i2prd C reseeds over HTTPS at start from a server of the
#   file (python's, TLS with a test CA that C trusts through reseed ca),
#   passing over a server whose certificate that CA did not sign; then
#   "i2pctl reseed fetch" reports an untrusted server, a missing file
#   and a good one.
#
#   bash tests/interop/su3.sh BUILD_DIR
set -u
build=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
interop_require su3

tmp=$(mktemp -d /tmp/i2prd-su3.XXXXXX)
chmod 0755 "$tmp"
ns=i2prd-su3-$$
n_i2pd=4
signer=testnet@mail.i2p
certname=testnet_at_mail.i2p.crt
trap testnet_cleanup EXIT
netns_up "$ns" $(seq 1 6) 10 11 12 20 21
i2pd_identities 2
for i in $(seq 1 $n_i2pd); do h[$i]=$(ri_hash "$tmp/i2pd$i/router.info"); done
i2pd_know_each_other
for i in $(seq 1 $n_i2pd); do i2pd_start "$i"; done

# A: knows the four i2pd routers, exports
mkdir -p "$tmp/state/router/netDb"
for i in $(seq 1 $n_i2pd); do netdb_seed "$tmp/state/router/netDb" "$tmp/i2pd$i/router.info"; done
chown -R _i2prd "$tmp/state/router"
i2prd_write_conf "$tmp" 198.18.0.10 "reseed signer \"$signer\"" \
    "reseed certificates \"$tmp/none\""
i2prd_run
a=$(ri_hash "$tmp/state/router/router.info")
ctl() { ip netns exec "$ns" "$build/i2pctl" -s "$tmp/i2prd.sock" "$@"; }

out=$(ctl reseed export "$tmp/seeds.su3" 2>&1)
echo "    export: $out"
check "reseed export writes a signed su3 of 5 RouterInfos" bash -c \
    "echo '$out' | grep -q '5 RouterInfos.*signed by $signer' &&
     head -c 6 '$tmp/seeds.su3' | grep -q I2Psu3"
mkdir -p "$tmp/certs" "$tmp/i2pd5/certificates/reseed"
ctl reseed certificate > "$tmp/certs/$certname"
check "reseed certificate prints the signer's certificate" bash -c \
    "openssl x509 -in '$tmp/certs/$certname' -noout -subject | grep -q 'CN = $signer' &&
     openssl x509 -in '$tmp/certs/$certname' -noout -text | grep -q 'Public-Key: (4096 bit)'"
check "cryptod keeps the reseed key, mode 0600, owned by _i2prd" bash -c \
    "[ \"\$(stat -c %a:%U '$tmp/state/keys/reseed.key')\" = 600:_i2prd ]"
check "the key is in no other process's directory" bash -c \
    "! find '$tmp/state' -name 'reseed.key*' | grep -v '/keys/'"
ctl reseed export "$tmp/seeds2.su3" >/dev/null
ctl reseed certificate > "$tmp/cert2.pem"
check "a second export is signed by the same key and certificate" \
    cmp -s "$tmp/certs/$certname" "$tmp/cert2.pem"

# B: a new i2prd with an empty netDb, trusting A's certificate
python3 - "$tmp" <<'PY'
import sys
t = sys.argv[1]
f = bytearray(open(t + "/seeds.su3", "rb").read())
f[200] ^= 0x01				# inside the ZIP
open(t + "/flipped.su3", "wb").write(f)
open(t + "/cut.su3", "wb").write(f[:len(f) // 2])
PY
cp "$here/../data/su3/openssl.su3" "$tmp/foreign.su3"
mkdir -p "$tmp/b/state/router"
chown -R _i2prd "$tmp/b/state/router"
i2prd_write_conf "$tmp/b" 198.18.0.11 "reseed certificates \"$tmp/certs\"" \
    "log level debug"
I2PRD_LIBEXEC=$build ip netns exec "$ns" "$build/i2prd" -d \
    -f "$tmp/b/i2prd.conf" >"$tmp/b/i2prd.log" 2>&1 &
for _ in $(seq 100); do [ -s "$tmp/b/state/router/router.info" ] && break; sleep 0.1; done
b=$(ri_hash "$tmp/b/state/router/router.info")
bctl() { ip netns exec "$ns" "$build/i2pctl" -s "$tmp/b/i2prd.sock" "$@"; }
brouters() { bctl -j show netdb | python3 -c "import json,sys; print(json.load(sys.stdin)['netdb']['routers'])"; }
refused() {	# file, expected reason
	local out
	out=$(bctl reseed import "$tmp/$1" 2>&1)
	echo "    $1: $out"
	echo "$out" | grep -q "$2" && [ "$(brouters)" -eq 0 ]
}
check "B trusts the certificate it was given" \
    grep -q "reseed: 1 signers trusted" "$tmp/b/i2prd.log"
check "a changed byte is refused (bad signature)" refused flipped.su3 \
    "su3: bad signature"
check "a truncated su3 is refused" refused cut.su3 "su3: truncated file"
check "an su3 of another signer is refused" refused foreign.su3 \
    "su3: unknown signer test-signer@mail.i2p"
out=$(bctl reseed import "$tmp/seeds.su3" 2>&1)
echo "    seeds.su3: $out"
check "B imports A's su3: 5 RouterInfos" bash -c \
    "echo '$out' | grep -q '5 RouterInfos imported'"
check "B holds A's RouterInfo" test -e \
    "$tmp/b/state/router/netDb/r${a:0:1}/routerInfo-$a.dat"

# i2pd 5 bootstraps from the file; i2pd 6 gets it with a byte changed
for i in 5 6; do
	mkdir -p "$tmp/i2pd$i/certificates/reseed"
	cp "$tmp/certs/$certname" "$tmp/i2pd$i/certificates/reseed/"
	f=$tmp/seeds.su3
	[ "$i" -eq 6 ] && f=$tmp/flipped.su3
	i2pd_write_conf "$tmp/i2pd$i" "198.18.0.$i" false info "file = $f"
	sed -i -e "1i certsdir = $tmp/i2pd$i/certificates" \
	    -e "s/^verify = false/verify = true/" "$tmp/i2pd$i/i2pd.conf"
	i2pd_start "$i"
done
n_i2pd=6
# i2pd writes its netDb out once a minute; its log says at once
i2pd_added() {	# i2pd dir, router hash
	grep -q "RouterInfo added: $2" "$1/i2pd.log" 2>/dev/null ||
	    netdb_has "$1" "$2"
}
for _ in $(seq 150); do
	i2pd_added "$tmp/i2pd5" "$a" && grep -q "verification failed" \
	    "$tmp/i2pd6/i2pd.log" 2>/dev/null && break
	sleep 0.2
done
grep -E "Reseed" "$tmp/i2pd5/i2pd.log" | sed 's/^/    i2pd5: /' | head -5
grep -E "Reseed" "$tmp/i2pd6/i2pd.log" | sed 's/^/    i2pd6: /' | head -5
check "i2pd accepts the su3 (reseed.verify = true): it adds A's RouterInfo" \
    i2pd_added "$tmp/i2pd5" "$a"
check "and the four i2pd routers from it" bash -c \
    "$(declare -f netdb_has i2pd_added)
     for x in ${h[*]}; do i2pd_added '$tmp/i2pd5' \$x || exit 1; done"
check "i2pd refuses the copy with a changed byte" bash -c \
    "$(declare -f netdb_has i2pd_added)
     grep -q 'SU3 signature verification failed' '$tmp/i2pd6/i2pd.log' &&
     ! i2pd_added '$tmp/i2pd6' '$a'"

# B, bootstrapped, joins: a session with an i2pd router, known to them
for _ in $(seq 300); do
	i2pd_added "$tmp/i2pd1" "$b" || i2pd_added "$tmp/i2pd2" "$b" && break
	sleep 0.2
done
check "B, bootstrapped from the file, reached the i2pd floodfills" bash -c \
    "$(declare -f netdb_has i2pd_added)
     i2pd_added '$tmp/i2pd1' '$b' || i2pd_added '$tmp/i2pd2' '$b'"
check "both suites are still running" bash -c \
    "kill -0 \$(cat '$tmp/i2prd.pid') && kill -0 \$(cat '$tmp/b/i2prd.pid')"

# C: HTTPS.  A test CA signs the certificate of the server at .20; the
# one at .21 port 8443 signs its own, the one at port 8444 has the CA's
# for another address.  All serve seeds.su3 as i2pseeds.su3.
mkdir -p "$tmp/www" "$tmp/c/state/router"
cp "$tmp/seeds.su3" "$tmp/www/i2pseeds.su3"
tls_ca
tls_cert good 198.18.0.20
tls_cert other 198.18.0.99
(cd "$tmp/tls" &&
 openssl req -x509 -newkey rsa:2048 -nodes -keyout rogue.key -out rogue.crt \
     -days 2 -subj "/CN=198.18.0.21" -addext "subjectAltName=IP:198.18.0.21" 2>/dev/null)
https_serve 198.18.0.20 good 8443
https_serve 198.18.0.21 rogue 8443
https_serve 198.18.0.21 other 8444
sleep 1
chown -R _i2prd "$tmp/c/state/router"
i2prd_write_conf "$tmp/c" 198.18.0.12 "reseed certificates \"$tmp/certs\"" \
    "reseed ca \"$tmp/tls/ca.crt\"" "reseed url \"https://198.18.0.21:8443/\"" \
    "reseed url \"https://198.18.0.20:8443/\"" "log level debug"
I2PRD_LIBEXEC=$build ip netns exec "$ns" "$build/i2prd" -d \
    -f "$tmp/c/i2prd.conf" >"$tmp/c/i2prd.log" 2>&1 &
cctl() { ip netns exec "$ns" "$build/i2pctl" -s "$tmp/c/i2prd.sock" "$@"; }
for _ in $(seq 150); do
	grep -q "reseed: 5 RouterInfos imported" "$tmp/c/i2prd.log" && break
	sleep 0.2
done
grep -E "reseed" "$tmp/c/i2prd.log" | sed 's/^/    C: /'
check "C reseeds over HTTPS at start: 5 RouterInfos" \
    grep -q "reseed: 5 RouterInfos imported" "$tmp/c/i2prd.log"
check "the request was the su3 of netid 99, as Wget/1.11.4" \
    grep -q '^Wget/1.11.4 "GET /i2pseeds.su3?netid=99 HTTP/1.1" 200' \
    "$tmp/https-good.log"
c_fetch() {	# URL, expected outcome
	sed -i '/^reseed url/d' "$tmp/c/i2prd.conf"
	echo "reseed url \"$1\"" >> "$tmp/c/i2prd.conf"
	cctl reload >/dev/null
	out=$(cctl reseed fetch 2>&1)
	echo "    fetch $1: $out"
	echo "$out" | grep -q "$2"
}
check "a server the CA did not sign is refused" c_fetch \
    "https://198.18.0.21:8443/" "TLS: .*certificate"
check "a certificate of the CA for another address is refused" c_fetch \
    "https://198.18.0.21:8444/" "TLS: IP address mismatch"
check "a missing file is an HTTP error" c_fetch \
    "https://198.18.0.20:8443/nothing/" "HTTP status 404"
check "nothing listening: cannot connect" c_fetch \
    "https://198.18.0.20:9/" "cannot connect"
check "the good server: all already known" c_fetch \
    "https://198.18.0.20:8443/" "0 RouterInfos imported, 5 already known"
check "i2pctl reseed fetch exits non-zero on failure" bash -c \
    "sed -i 's|^reseed url .*|reseed url \"https://198.18.0.21:8443/\"|' '$tmp/c/i2prd.conf' &&
     ip netns exec '$ns' '$build/i2pctl' -s '$tmp/c/i2prd.sock' reload >/dev/null &&
     ! ip netns exec '$ns' '$build/i2pctl' -s '$tmp/c/i2prd.sock' reseed fetch >/dev/null 2>&1"
cctl show netdb | grep -iE "reseed" | sed 's/^/    C: /'
reseed_json=$(cctl -j show netdb | python3 -c 'import json, sys
d = json.load(sys.stdin)["netdb"]
print(d["reseed_signers"], d["last_reseed_ok"], "self-signed" in d["last_reseed_outcome"])')
check "show netdb tells the signers trusted and the last reseed's outcome" \
    test "$reseed_json" = "1 False True"
check "C is still running" kill -0 "$(cat "$tmp/c/i2prd.pid")"

for d in b c; do
	[ -s "$tmp/$d/i2prd.pid" ] && kill -TERM "$(cat "$tmp/$d/i2prd.pid")" 2>/dev/null
done
if [ "$fail" -ne 0 ]; then
	echo "--- i2prd A log"; tail -20 "$tmp/i2prd.log"
	echo "--- i2prd B log"; tail -20 "$tmp/b/i2prd.log"
	echo "--- i2prd C log"; grep -v "session" "$tmp/c/i2prd.log" | tail -30
fi
echo "su3: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
