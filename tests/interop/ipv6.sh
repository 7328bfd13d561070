#!/bin/bash
# Interop: NTCP2 and SSU2 over IPv6 between i2prd and i2pd 2.45.1.
#
# Four i2pd routers with IPv6 only (ipv4 = false) at 2001:2:0:1217::N
# in a namespace of their own (loopback /128s, nothing routed), odd ones
# with NTCP2 alone, even ones with SSU2 alone: 1 and 2 floodfills, 3 and
# 4 knowing us.  i2prd A listens on IPv4 and IPv6, both transports: it
# can reach the i2pd routers over IPv6 only.  Sessions both ways on each
# transport, RouterInfos exchanged, i2pd builds tunnels through us.
# Then i2prd B, with IPv6 alone and SSU2 alone listening (its NTCP2
# address unpublished, caps "6"), joins: it reseeds over HTTPS from an
# IPv6 server (an su3 that A exports), floods its RouterInfo and builds
# its exploratory tunnels over IPv6.  i2prd C, on "::", publishes
# no host.
#
# The addresses are of 2001:2::/48, RFC 5180's benchmarking range (the
# IPv6 twin of 198.18.0.0/15), not ULA: i2pd 2.45.1 drops NTCP2 and SSU2
# from and to fc00::/7 whatever its reservedrange says (IsInReservedRange
# in NTCP2.cpp and SSU2.cpp), and 2001:2::/48 is not in its list.
#
#   bash tests/interop/ipv6.sh BUILD_DIR
set -u
build=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
interop_require ipv6

tmp=$(mktemp -d /tmp/i2prd-ipv6.XXXXXX)
chmod 0755 "$tmp"
ns=i2prd-v6-$$
pre=2001:2:0:1217:
me=${pre}:10
n_i2pd=4
signer=ipv6@mail.i2p
nsx() { ip netns exec "$ns" "$build/i2pctl" "$@"; }
ctl() { nsx -s "$tmp/i2prd.sock" "$@"; }
ctl_b() { nsx -s "$tmp/b/i2prd.sock" "$@"; }
# addresses of a RouterInfo file with caps "6" (a mapping's strings
# carry a length byte)
caps6() { grep -aoF "$(printf 'caps=\x016;')" "$1" | wc -l; }

# lib.sh's i2pd, IPv6 only: odd ones NTCP2 alone, even ones SSU2 alone
i2pd_conf() {
	local c=$tmp/i2pd$1/i2pd.conf
	mkdir -p "$tmp/i2pd$1"
	i2pd_write_conf "$tmp/i2pd$1" "${pre}:$1" "$2" \
	    "${I2PD_LOGLEVEL:-info}" "threshold = 0"
	sed -i -e 's/^ipv4 = true$/ipv4 = false/' \
	    -e 's/^ipv6 = false$/ipv6 = true/' \
	    -e "s/^address4 = .*/address6 = ${pre}:$1/" "$c"
	[ $(($1 % 2)) -eq 1 ] && return 0
	sed -i -e '/^\[ssu2\]$/,/^\[r/ s/^enabled = false$/enabled = true\npublished = true/' \
	    -e '/^\[ntcp2\]$/,/^\[/ s/= true$/= false/' "$c"
}

trap testnet_cleanup EXIT

netns_up "$ns"
for i in $(seq 1 $n_i2pd) 10 11 20; do
	ip -n "$ns" addr add "${pre}:$i/128" dev lo nodad
done
ip -n "$ns" addr add 198.18.0.10/32 dev lo

# 1. the i2pd routers' identities: each publishes IPv6 hosts only
i2pd_identities 2
for i in $(seq 1 $n_i2pd); do
	check "i2pd $i publishes an IPv6 host and no IPv4 one" bash -c \
	    "grep -aq '${pre}:$i;' '$tmp/i2pd$i/router.info' &&
	    ! grep -aq '198\.18\.' '$tmp/i2pd$i/router.info'"
done

# 2. i2prd A, on both families, knowing the floodfills
mkdir -p "$tmp/state/router/netDb"
for i in 1 2; do netdb_seed "$tmp/state/router/netDb" "$tmp/i2pd$i/router.info"; done
chown -R _i2prd "$tmp/state/router"
i2prd_write_conf "$tmp" 198.18.0.10 "log level debug" \
    "reseed signer \"$signer\"" "reseed certificates \"$tmp/none\"" \
    "listen on 198.18.0.10 port 20000 ssu2" \
    "listen on $me port 20000" "listen on $me port 20000 ssu2"
i2prd_run
check "i2prd A publishes its IPv6 host on NTCP2 and SSU2" bash -c \
    "[ \$(grep -ao '$me;' '$tmp/state/router/router.info' | wc -l) -eq 2 ]"
our=$(ri_hash "$tmp/state/router/router.info")

# 3. the i2pd routers know each other; 3 and 4 know i2prd A and start
#    first, so that they dial us before we learn of them
i2pd_know_each_other
for i in 3 4; do
	netdb_seed "$tmp/i2pd$i/netDb" "$tmp/state/router/router.info"
	i2pd_start "$i"
done
for _ in $(seq 60); do
	ctl show peers | grep -q "\[${pre}:3\].* in" &&
	    ctl show peers | grep -q "\[${pre}:4\].* in" && break
	sleep 1
done
for i in 1 2; do i2pd_start "$i"; done

# 4. sessions both ways over IPv6 on each transport
has() {	# transport direction: a session of that kind over IPv6
	ctl -j show peers | python3 -c "import json, sys
p = json.load(sys.stdin)['peers']
sys.exit(not any(x['transport'] == '$1' and x['direction'] == '$2' and
    x['address'].startswith('[') for x in p))"
}
for _ in $(seq 120); do
	has NTCP2 out && has SSU2 out && has NTCP2 in && has SSU2 in && break
	sleep 1
done
ctl show peers | sed 's/^/    /'
check "show peers brackets IPv6 addresses" bash -c \
    "'$build/i2pctl' -s '$tmp/i2prd.sock' show peers | grep -q '\[${pre}:[0-9]*\]:20000'"
check "no session over IPv4 (the i2pd routers have none)" bash -c \
    "! '$build/i2pctl' -s '$tmp/i2prd.sock' show peers | grep -q '198\.18\.'"
for t in NTCP2 SSU2; do
	check "i2prd dialled an i2pd router over IPv6 $t" has $t out
done
for t in NTCP2 SSU2; do
	check "i2pd dialled i2prd over IPv6 $t" has $t in
done

# 5. RouterInfos both ways; i2pd's tunnels through us
for _ in $(seq 120); do
	netdb_has "$tmp/i2pd1" "$our" && netdb_has "$tmp/i2pd2" "$our" && break
	sleep 1
done
for i in 1 2; do
	check "i2pd $i stored i2prd A's RouterInfo" netdb_has "$tmp/i2pd$i" "$our"
done
check "i2prd A stored the RouterInfos of i2pd 3 and 4, not given it" \
    bash -c "ls '$tmp'/state/router/netDb/r*/routerInfo-*.dat | wc -l |
	awk '{ exit !(\$1 > 3) }'"
for _ in $(seq 90); do
	[ "$(transit_accepted)" -gt 0 ] && break
	sleep 1
done
echo "    transit tunnels accepted: $(transit_accepted)"
check "i2pd routers built tunnels through i2prd A" test "$(transit_accepted)" -gt 0

# 6. i2prd B, IPv6 only, with an empty netDb, reseeds over HTTPS from
#    [2001:2:0:1217::20]: an su3 of A's netDb, signed by A
mkdir -p "$tmp/www" "$tmp/certs" "$tmp/b/state/router"
ctl reseed export "$tmp/www/i2pseeds.su3" | sed 's/^/    A: /'
ctl reseed certificate > "$tmp/certs/ipv6_at_mail.i2p.crt"
tls_ca
tls_cert good "${pre}:20"
https_serve "${pre}:20" good 8443
sleep 1
chown -R _i2prd "$tmp/b/state/router"
cat > "$tmp/b/i2prd.conf" <<CONF
statedir "$tmp/b/state"
socket "$tmp/b/i2prd.sock"
pidfile "$tmp/b/i2prd.pid"
netid 99
log level debug
exploratory inbound length 1 quantity 2
exploratory outbound length 1 quantity 2
listen on ${pre}:11 port 20000 ssu2
reseed certificates "$tmp/certs"
reseed ca "$tmp/tls/ca.crt"
reseed url "https://[${pre}:20]:8443/"
CONF
i2prd_run "$tmp/b"
for _ in $(seq 60); do
	grep -q "reseed: [0-9]* RouterInfos imported" "$tmp/b/i2prd.log" && break
	sleep 0.5
done
grep -E "reseed" "$tmp/b/i2prd.log" | sed 's/^/    B: /'
check "i2prd B reseeded over IPv6 HTTPS" \
    grep -q "reseed: [1-9][0-9]* RouterInfos imported" "$tmp/b/i2prd.log"
check "the request came over IPv6 for the su3 of netid 99" \
    grep -q '"GET /i2pseeds.su3?netid=99 HTTP/1.1" 200' "$tmp/https-good.log"
check "i2prd B publishes IPv6 hosts only" bash -c \
    "grep -aq '${pre}:11;' '$tmp/b/state/router/router.info' &&
    ! grep -aq '198\.18\.' '$tmp/b/state/router/router.info'"
# (and its SSU2 address, with its host, caps 6 too: publish.c writes
# an SSU2 address's family in its caps)
check "i2prd B's NTCP2 address, without host, says IPv6 (caps 6)" \
    test "$(caps6 "$tmp/b/state/router/router.info")" -eq 2
b=$(ri_hash "$tmp/b/state/router/router.info")
tunnels_b() { nsx -s "$tmp/b/i2prd.sock" -j show tunnels | python3 -c "import json, sys
t = json.load(sys.stdin)['tunnels']['list']
print(sum(1 for x in t if x['state'] == 'ready'))" 2>/dev/null || echo 0; }
for _ in $(seq 120); do
	netdb_has "$tmp/i2pd1" "$b" && netdb_has "$tmp/i2pd2" "$b" &&
	    [ "$(tunnels_b)" -gt 0 ] && break
	sleep 1
done
ctl_b show peers | sed 's/^/    /'
check "the floodfills stored i2prd B's RouterInfo" bash -c \
    "[ -e '$tmp/i2pd1/netDb/r${b:0:1}/routerInfo-$b.dat' ] &&
    [ -e '$tmp/i2pd2/netDb/r${b:0:1}/routerInfo-$b.dat' ]"
echo "    i2prd B tunnels ready: $(tunnels_b)"
check "i2prd B built tunnels over IPv6" test "$(tunnels_b)" -gt 0

errs=$(grep -hE "${our:0:8}|${b:0:8}|$me|${pre}:11" "$tmp"/i2pd*/i2pd.log |
    grep -E 'NTCP2|SSU2' | grep -iE 'error|terminat|invalid|mismatch' |
    head -5)
[ -n "$errs" ] && echo "$errs" | sed 's/^/    /'
check "no i2pd logged a transport error naming an i2prd" test -z "$errs"
check "i2prd A still runs" kill -0 "$(cat "$tmp/i2prd.pid")"
check "i2prd B still runs" kill -0 "$(cat "$tmp/b/i2prd.pid")"
kill -TERM "$(cat "$tmp/b/i2prd.pid")" 2>/dev/null

# 7. a wildcard listener: no host a peer could dial, the family in caps
mkdir -p "$tmp/c/state/router"
chown -R _i2prd "$tmp/c/state/router"
cat > "$tmp/c/i2prd.conf" <<CONF
statedir "$tmp/c/state"
socket "$tmp/c/i2prd.sock"
pidfile "$tmp/c/i2prd.pid"
netid 99
listen on "::" port 20002
listen on "::" port 20002 ssu2
CONF
i2prd_run "$tmp/c"
ri_c=$tmp/c/state/router/router.info
check "i2prd C on :: publishes no host" test "$(grep -ac host= "$ri_c")" -eq 0
check "i2prd C's NTCP2 and SSU2 addresses say IPv6 (caps 6)" \
    test "$(caps6 "$ri_c")" -eq 2
check "i2prd C listens on ::" grep -q "listening on :: port 20002" \
    "$tmp/c/i2prd.log"
kill -TERM "$(cat "$tmp/c/i2prd.pid")" 2>/dev/null

if [ "$fail" -ne 0 ]; then
	echo "--- i2prd A log (sessions, last 40 lines)"
	grep -E 'NTCP2|SSU2|session|DIAL' "$tmp/i2prd.log" | tail -40
	echo "--- i2prd B log (last 40 lines)"
	tail -40 "$tmp/b/i2prd.log"
	for i in $(seq 1 $n_i2pd); do
		echo "--- i2pd$i: last errors and warnings"
		grep -E "error|warn" "$tmp/i2pd$i/i2pd.log" | tail -10
	done
fi
echo "ipv6: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
