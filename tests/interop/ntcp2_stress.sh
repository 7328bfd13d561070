#!/bin/bash
# Interop: the NTCP2 data phase under load, for data-phase AEAD failures.
#
# The network of destinations.sh (four i2pd 2.45.1 routers, 1 and 2
# floodfills, two i2prd routers at .10 and .11, all knowing each
# other), then ROUNDS rounds of SAM streams at several MB/s through
# one-hop tunnels: i2prd to i2pd 3 and back, and i2prd to i2prd through
# STREAM FORWARD, the traffic that once made i2pd 3 log "NTCP2: Received
# AEAD verification failed".  With STRESS_WMEM set (bytes, e.g. 16384)
# the namespace's TCP send buffers are that small, so every router's
# writes are partial (EAGAIN) most of the time.
#
# At the end, who saw a data-phase frame that did not open, and from
# whom: an i2pd's warning (each i2pd's log), and whether either i2prd
# sent the frame (the i2pd ends that session with termination reason 4,
# which our netd logs with the peer's address) or received one ("frame
# does not decrypt").  Fails if an i2prd sent or received one, or if an
# i2pd saw one that no other i2pd was told of (I2PD_LOGLEVEL=debug lets
# the i2pd routers say so).
#
#   bash tests/interop/ntcp2_stress.sh BUILD_DIR [ROUNDS, default 4]
# I2PD_LOGLEVEL=debug shows the i2pd routers' terminations too;
# INTEROP_KEEP=DIR keeps a failed run's logs.
set -u
build=$(cd "${1:-build}" && pwd)
rounds=${2:-4}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
interop_require ntcp2_stress

tmp=$(mktemp -d /tmp/i2prd-nstress.XXXXXX)
chmod 0755 "$tmp"
ns=i2prd-nstress-$$
me=198.18.0.10
n_i2pd=4
# beside $tmp, not in it, so that suite_up tells the two apart
r2=$tmp-r2
# (its processes live in $ns: netns_down ends them)
trap 'testnet_cleanup; rm -rf "$r2"' EXIT
nsx() { ip netns exec "$ns" "$@"; }
started=$(date +%s)

netns_up "$ns" $(seq 1 $n_i2pd) 10 11
if [ -n "${STRESS_WMEM:-}" ]; then
	nsx sysctl -q -w net.ipv4.tcp_wmem="4096 $STRESS_WMEM $STRESS_WMEM"
	echo "    TCP send buffers: $(nsx sysctl -n net.ipv4.tcp_wmem)"
fi
i2pd_identities 2
sed -i '/^\[sam\]/{n;s/.*/enabled = true\naddress = 198.18.0.3\nport = 7656/}' \
    "$tmp/i2pd3/i2pd.conf"
i2prd_suite "$tmp" "$me" \
    "destination site inbound length 1 quantity 2 outbound length 1 quantity 2"
i2prd_suite "$r2" 198.18.0.11
i2pd_know_each_other
for i in $(seq 1 $n_i2pd); do
	netdb_seed "$tmp/i2pd$i/netDb" "$tmp/state/router/router.info"
	netdb_seed "$tmp/i2pd$i/netDb" "$r2/state/router/router.info"
	i2pd_start "$i"
done
# ready: our destination's LeaseSet is at a floodfill
for _ in $(seq 150); do
	grep -q "destination site: LeaseSet stored" "$tmp/i2prd.log" && break
	sleep 1
done
check "the network is up (our LeaseSet stored)" \
    grep -q "destination site: LeaseSet stored" "$tmp/i2prd.log"

b64_b32() {	# a base64 destination in FILE: its b32 name, no suffix
	python3 -c "import base64, hashlib, sys
b = base64.b64decode(open(sys.argv[1]).read().strip().replace('-', '+').replace('~', '/'))
print(base64.b32encode(hashlib.sha256(b).digest()).decode().lower().rstrip('='))" "$1"
}
# a server on i2pd 3 is reachable once a floodfill stored its LeaseSet
published() {
	[ -s "$1" ] && cat "$tmp"/i2pd[12]/i2pd.log |
	    grep -q "LeaseSet2 updated: $(b64_b32 "$1")"
}
server_up() {	# SAM DEST_FILE PID
	for _ in $(seq 300); do [ -s "$2" ] && break; sleep 0.5; done
	case "$1" in *198.18.0.3:*) ;; *) return 0 ;; esac
	for _ in $(seq 30); do published "$2" && return 0; sleep 1; done
	kill "$3" 2>/dev/null
	return 1
}
opts_for() {	# i2pd 2.45.1 servers publish only with 0-hop outbound
	case "$1" in
	*198.18.0.3:*) echo "inbound.length=1 outbound.length=$2 inbound.quantity=2 outbound.quantity=2" ;;
	*) echo "inbound.length=1 outbound.length=1 inbound.quantity=2 outbound.quantity=2" ;;
	esac
}
sst() { nsx python3 "$here/samstream.py" "$@"; }
streams() {	# NAME SERVER_SAM SERVER_VERSION CLIENT_SAM CLIENT_VERSION N BYTES MODE [serve options]
	local name=$1 ssam=$2 sver=$3 csam=$4 cver=$5 n=$6 bytes=$7 mode=$8 try spid
	shift 8
	for try in 1 2 3; do
		rm -f "$tmp/$name".*
		sst serve --sam "$ssam" --version "$sver" --id "s$name$try" \
		    --dest-out "$tmp/$name.dest" --opts "$(opts_for "$ssam:" 0)" \
		    --seconds 300 "$@" > "$tmp/$name.serve.out" 2>&1 &
		spid=$!
		server_up "$ssam" "$tmp/$name.dest" $spid && break
	done
	sst connect --sam "$csam" --version "$cver" --id "c$name" \
	    --to="$(cat "$tmp/$name.dest" 2>/dev/null)" --streams "$n" \
	    --bytes "$bytes" --mode "$mode" --opts "$(opts_for "$csam:" 1)" \
	    --seconds 240 > "$tmp/$name.out" 2>&1
	pkill -f -- "--id s$name$try " 2>/dev/null
	echo "    $name: $(tail -1 "$tmp/$name.out")"
	[ "$(python3 -c "import json, sys
try:
    print(json.loads(open(sys.argv[1]).read().splitlines()[-1])['ok'])
except Exception:
    print(0)" "$tmp/$name.out")" -eq "$n" ] || streams_failed=$((streams_failed + 1))
}
streams_failed=0
for r in $(seq "$rounds"); do
	streams "to-i2pd$r" 198.18.0.3:7656 3.1 "$me:7656" 3.3 4 1000000 echo
	streams "to-i2pd-src$r" 198.18.0.3:7656 3.1 "$me:7656" 3.3 4 1000000 source
	streams "from-i2pd$r" "$me:7656" 3.3 198.18.0.3:7656 3.1 4 1000000 echo
	streams "from-i2pd-src$r" "$me:7656" 3.3 198.18.0.3:7656 3.1 4 1000000 source
	streams "fwd$r" 198.18.0.11:7656 3.3 "$me:7656" 3.3 4 1000000 echo \
	    --forward $((9300 + r))
done

# what the routers saw
i2pd_aead() {	# i2pd I: its data-phase AEAD failures, with times
	grep "NTCP2: Received AEAD verification failed" "$tmp/i2pd$1/i2pd.log"
}
netd_seen() {	# DIR: our netd's data-phase failures, both directions
	grep -E "terminated by the peer \(reason [49]\)|frame does not decrypt|malformed blocks|cannot build a frame" \
	    "$1/i2prd.log"
}
# A failure at an i2pd whose sender was another i2pd: at the same
# second that one was told (termination reason 4; needs
# I2PD_LOGLEVEL=debug).  i2pd 2.45.1 sends frames longer than 65535
# bytes now and then (its padding overflows the frame; fixed in 2.51.0),
# whose length field wraps: "Sent length" above 65535 in its log.
told_by() {	# TIME: the i2pd routers told reason 4 at that second
	local j
	for j in $(seq 1 $n_i2pd); do
		grep -q "^$1@.*NTCP2: Termination. reason=4" \
		    "$tmp/i2pd$j/i2pd.log" && echo "$j"
	done
}
n_i2pd_aead=0
unexplained=0
for i in $(seq 1 $n_i2pd); do
	n=$(i2pd_aead "$i" | wc -l)
	n_i2pd_aead=$((n_i2pd_aead + n))
	echo "    i2pd $i: $n data-phase AEAD failures"
	for t in $(i2pd_aead "$i" | cut -d@ -f1); do
		j=$(told_by "$t")
		echo "        $t: sent by ${j:+i2pd }${j:-an unknown peer}"
		[ -n "$j" ] || unexplained=$((unexplained + 1))
	done
done
for i in $(seq 1 $n_i2pd); do
	grep -h "NTCP2: Sent length" "$tmp/i2pd$i/i2pd.log" |
	    awk '$NF > 65535' | sed "s/^/    i2pd $i, a frame too long: /"
done
n_netd=0
for d in "$tmp" "$r2"; do
	n=$(netd_seen "$d" | wc -l)
	n_netd=$((n_netd + n))
	echo "    i2prd $(basename "$d"): $n data-phase failures seen"
	netd_seen "$d" | head -5 | sed 's/^/        /'
	# established sessions with an i2pd that ended, and how
	grep -E "netd: session .* 198\.18\.0\.[1-4]:[0-9]+ closed, (established|closing)" "$d/i2prd.log" |
	    head -10 | sed 's/^/        /'
done
echo "    data-phase AEAD failures at i2pd routers: $n_i2pd_aead"
check "each one at an i2pd was sent by another i2pd" test "$unexplained" -eq 0
check "no i2prd sent or received a frame that failed" test "$n_netd" -eq 0
check "every stream round carried its 4 MB" test "$streams_failed" -eq 0
check "the suites still run" bash -c "$(declare -f suite_up); suite_up '$tmp' && suite_up '$r2'"
echo "    time: $(($(date +%s) - started)) s"
echo "ntcp2_stress: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
