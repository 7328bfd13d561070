#!/bin/bash
# Interop: an i2prd destination on a network of i2pd routers.
#
# i2prd (not a floodfill) at .10 with one configured destination,
# "site"; four i2pd routers, 1 and 2 floodfills, all knowing each
# other and i2prd.  i2prd builds the destination's client tunnels,
# makes its LeaseSet2 and publishes it through the destination's own
# tunnels, garlic-wrapped to the floodfill closest to it:
# - an i2pd floodfill stores it ("NetDb: LeaseSet2 updated: <b32>");
# - i2prd hears the store acknowledged, then finds it at the other
#   floodfill (verified);
# - i2pd 3 finds it on its own: its SAM bridge's NAMING LOOKUP of our
#   .b32.i2p name answers with our destination;
# - SAM streams (tests/interop/samstream.py), four at once, 1 MB each
#   echoed or sent by the server, closed from each side: i2prd client
#   to an i2pd server (i2pd's SAM 3.1 ACCEPT), i2pd client to an i2prd
#   server, and i2prd to i2prd through STREAM FORWARD to a TCP server;
# - a SAM session of ours ending with an i2pd client's stream open:
#   the stream is reset, and i2pd's client sees its end;
# - when the destination's inbound tunnels change (a reload asks for a
#   third), the new LeaseSet (published later) replaces the old at the
#   floodfills; with DEST_REPLACE=1 also after the first tunnels
#   expire, about 9 minutes in;
# - loss (issue 15): with "test drop client-tunnel 4%" reloaded in,
#   512 KB each way through SAM streams with i2pd arrive byte-exact.
#
#   bash tests/interop/destinations.sh BUILD_DIR [seconds to wait, default 150]
set -u
build=$(cd "${1:-build}" && pwd)
wait_max=${2:-150}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
interop_require destinations

tmp=$(mktemp -d /tmp/i2prd-dest.XXXXXX)
chmod 0755 "$tmp"
ns=i2prd-dest-$$
me=198.18.0.10
n_i2pd=4
trap testnet_cleanup EXIT
nsx() { ip netns exec "$ns" "$@"; }
ctl() { nsx "$build/i2pctl" -s "$tmp/i2prd.sock" "$@"; }
started=$(date +%s)

netns_up "$ns" $(seq 1 $n_i2pd) 10 11
i2pd_identities 2
# i2pd 3 answers SAM on 198.18.0.3:7656
sed -i '/^\[sam\]/{n;s/.*/enabled = true\naddress = 198.18.0.3\nport = 7656/}' \
    "$tmp/i2pd3/i2pd.conf"
mkdir -p "$tmp/state/router/netDb"
for i in $(seq 1 $n_i2pd); do
	netdb_seed "$tmp/state/router/netDb" "$tmp/i2pd$i/router.info"
done
chown -R _i2prd "$tmp/state/router"
i2prd_write_conf "$tmp" "$me" "log level debug" \
    "exploratory inbound length 1 quantity 2" \
    "exploratory outbound length 1 quantity 2" \
    "destination site inbound length 1 quantity 2 outbound length 1 quantity 2" \
    "sam listen on $me port 7656"
i2prd_run
# a second i2prd router at .11, with a SAM bridge of its own; beside
# $tmp, not in it, so that suite_up counts the first one's processes
r2=$tmp-r2
trap 'testnet_cleanup; rm -rf "$r2"' EXIT
mkdir -p "$r2/state/router/netDb"
for i in $(seq 1 $n_i2pd); do
	netdb_seed "$r2/state/router/netDb" "$tmp/i2pd$i/router.info"
done
chown -R _i2prd "$r2/state/router"
i2prd_write_conf "$r2" 198.18.0.11 "log level debug" \
    "exploratory inbound length 1 quantity 2" \
    "exploratory outbound length 1 quantity 2" \
    "sam listen on 198.18.0.11 port 7656"
I2PRD_LIBEXEC=$build nsx "$build/i2prd" -d -f "$r2/i2prd.conf" \
    > "$r2/i2prd.log" 2>&1 &
for _ in $(seq 100); do
	[ -s "$r2/state/router/router.info" ] && break
	sleep 0.1
done
i2pd_know_each_other
for i in $(seq 1 $n_i2pd); do
	netdb_seed "$tmp/i2pd$i/netDb" "$tmp/state/router/router.info"
	netdb_seed "$tmp/i2pd$i/netDb" "$r2/state/router/router.info"
	i2pd_start "$i"
done

# the destination's hash from show tunnels (base64 there), in hex,
# and its .b32.i2p name
dest_hash() {
	ctl -j show tunnels | python3 -c "import base64, json, sys
c = [x for x in json.load(sys.stdin)['tunnels']['clients']
    if x['name'] == 'site']
if c:
    b = c[0]['destination'].replace('-', '+').replace('~', '/')
    print(base64.b64decode(b + '=' * (-len(b) % 4)).hex())"
}
b32_of_hash() {
	python3 -c "import base64, sys
print(base64.b32encode(bytes.fromhex(sys.argv[1])).decode().lower().rstrip('=')
    + '.b32.i2p')" "$1"
}
for _ in $(seq 50); do
	hash=$(dest_hash)
	[ -n "$hash" ] && break
	sleep 0.2
done
check "the destination has its pools" test -n "$hash"
b32=$(b32_of_hash "${hash:-00}")
echo "    destination site: $b32"

ff_stored() {	# how many times i2pd floodfills stored our LeaseSet2
	cat "$tmp/i2pd1/i2pd.log" "$tmp/i2pd2/i2pd.log" 2>/dev/null |
	    grep -c "LeaseSet2 updated: ${b32%.b32.i2p}"
}
ls_log() { grep -c "destination site: LeaseSet $1" "$tmp/i2prd.log"; }
for _ in $(seq "$wait_max"); do
	[ "$(ff_stored)" -gt 0 ] && [ "$(ls_log stored)" -gt 0 ] && break
	suite_up "$tmp" || break
	sleep 1
done
echo "    after $(($(date +%s) - started)) s: stored at i2pd floodfills" \
    "$(ff_stored) times; i2prd heard $(ls_log stored) acks," \
    "$(ls_log verified) verifications"
check "an i2pd floodfill stored our LeaseSet2" test "$(ff_stored)" -gt 0
check "i2prd heard the store acknowledged" test "$(ls_log stored)" -gt 0
check "no i2pd floodfill refused it" bash -c "! cat '$tmp'/i2pd[12]/i2pd.log |
    grep -E 'LeaseSet2 (validation failed|received)' | grep -q '${b32%.b32.i2p}'"

# i2pd 3 finds us through its own lookup
sam_lookup() {	# NAME: the VALUE i2pd 3's SAM answers
	nsx python3 - "$1" <<'PY'
import socket, sys
s = socket.create_connection(("198.18.0.3", 7656), timeout=60)
f = s.makefile("rwb")
f.write(b"HELLO VERSION MIN=3.0 MAX=3.1\n"); f.flush()
f.readline()
f.write(b"NAMING LOOKUP NAME=" + sys.argv[1].encode() + b"\n"); f.flush()
line = f.readline().decode().strip()
for kv in line.split(" "):
    if kv.startswith("VALUE="):
        print(kv[6:])
PY
}
b64_hash() {	# an I2P base64 destination's hash, in hex
	python3 -c "import base64, hashlib, sys
b = base64.b64decode(sys.argv[1].replace('-', '+').replace('~', '/'))
print(hashlib.sha256(b).hexdigest())" "$1"
}
# i2pd answers KEY_NOT_FOUND at once while its shared client
# destination has no tunnels yet: ask again for a while
found=
for _ in $(seq 8); do
	value=$(sam_lookup "$b32" 2>/dev/null)
	[ -n "$value" ] && found=$(b64_hash "$value") && break
	sleep 5
done
check "i2pd 3 found our destination by its .b32.i2p name" \
    test "$found" = "$hash"

# datagrams between a SAM application on i2prd and one on i2pd 3, as
# the applications themselves do it: samclient.py, one session each
samc() { nsx python3 "$here/samclient.py" "$@"; }
i2pd_sam="--version 3.1 --sam 198.18.0.3:7656 --udp 198.18.0.3:7655"
our_sam="--sam $me:7656 --udp $me:7655"
opts="inbound.length=1 outbound.length=1 inbound.quantity=2 outbound.quantity=2"
# i2pd 2.45.1 publishes a LeaseSet when an inbound tunnel is built but
# gives up ("Destination is not ready") while it has no outbound one,
# and tries again only when its tunnels change, minutes later: its
# sessions get zero-hop outbound tunnels, there at once (as in
# leasesets.sh)
i2pd_opts="inbound.length=1 outbound.length=0 inbound.quantity=2 outbound.quantity=2"
opts_for() { case "$1" in *198.18.0.3:*) echo "$i2pd_opts" ;; *) echo "$opts" ;; esac; }
# i2pd as a stream client: its streams whose path starts with a
# zero-hop outbound tunnel stall after the SYN (2.45.1; half of them,
# run after run), so its client sessions get one hop; they need not
# publish
i2pd_client_opts="inbound.length=1 outbound.length=1 inbound.quantity=2 outbound.quantity=2"
client_opts_for() { case "$1" in *198.18.0.3:*) echo "$i2pd_client_opts" ;; *) echo "$opts" ;; esac; }
ratchet_pattern="(Garlic|ECIES|Ratchet|AEAD).*(fail|error|can't|invalid|not)"
# i2pd's garlic and ratchet complaints, not NTCP2's: i2pd 2.45.1 sends
# other i2pd routers a frame longer than 65535 bytes now and then, which
# fails at the receiver ("NTCP2: Received AEAD verification failed"; see
# ntcp2_stress.sh).  A bad frame of ours would end the session with
# termination reason 4, in our log: checked after the streams.
ratchet_lines() {
	grep -iE "$ratchet_pattern" "$tmp/i2pd3/i2pd.log" | grep -v "NTCP2:"
}
ratchet_errors() { ratchet_lines | wc -l; }
# Even so, on a loaded machine i2pd 2.45.1 sometimes does not publish
# ("Destination is not ready"): a session of i2pd's whose LeaseSet no
# floodfill took in 30 s is made again, twice at most (as
# tests/bench/dgram_net.sh does).  Ours are published or fail the test.
published() {	# FILE holding a base64 destination: stored at a floodfill?
	local b32
	[ -s "$1" ] || return 1
	b32=$(b32_of_hash "$(b64_hash "$(cat "$1")")")
	cat "$tmp"/i2pd[12]/i2pd.log | grep -q "LeaseSet2 updated: ${b32%.b32.i2p}"
}
# SAM DEST_FILE PID: 0 when the server behind SAM is ready to be
# reached; a server on i2pd whose LeaseSet is not out is killed (1)
server_up() {
	local _
	for _ in $(seq 300); do [ -s "$2" ] && break; sleep 0.5; done
	case "$1" in *198.18.0.3:*) ;; *) return 0 ;; esac
	for _ in $(seq 30); do published "$2" && return 0; sleep 1; done
	echo "    i2pd did not publish $(basename "$2"): again"
	kill "$3" 2>/dev/null
	return 1
}
port=9100
pingpong() {	# NAME ECHO_SAM PING_SAM STYLE COUNT SIZE [echo options]
	local name=$1 esam=$2 psam=$3 style=$4 count=$5 size=$6 eip pip try
	shift 6
	eip=${esam#*--sam }; eip=${eip%%:*}
	pip=${psam#*--sam }; pip=${pip%%:*}
	for try in 1 2 3; do
		rm -f "$tmp/$name".*
		port=$((port + 2))
		samc echo $esam --bind "$eip:$port" --id "e$name$try" \
		    --style "$style" --dest-out "$tmp/$name.echo" --seconds 200 \
		    --opts "$(opts_for "$esam")" "$@" \
		    > "$tmp/$name.echo.out" 2>&1 &
		server_up "$esam" "$tmp/$name.echo" $! && break
	done
	samc ping $psam --bind "$pip:$((port + 1))" --id "p$name" --style "$style" \
	    --to="$(cat "$tmp/$name.echo" 2>/dev/null)" --count "$count" \
	    --size "$size" --window 32 --seconds 150 --linger "${LINGER:-0}" \
	    --dest-out "$tmp/$name.ping" --opts "$(opts_for "$psam")" \
	    > "$tmp/$name.out" 2>&1
	pkill -f -- "--id e$name$try " 2>/dev/null
	echo "    $name: $(tail -1 "$tmp/$name.out")"
}
got() { python3 -c "import json, sys
try:
    print(json.loads(open(sys.argv[1]).read().splitlines()[-1])[sys.argv[2]] or 0)
except Exception:
    print(0)" "$tmp/$1.out" "$2"; }
err0=$(ratchet_errors)
# 9000 each way in one session: past our NextKey (after 4096 messages
# of a tag set) and i2pd's (after 8192), so the DH ratchet runs with
# i2pd both ways, started by each side
# the session's ratchets, seen while it lives (it goes with the SAM one)
mkdir -p "$tmp/sessions"
( i=0; while :; do
	i=$((i + 1))
	ctl -j show sessions > "$tmp/sessions/$i.json" 2>/dev/null
	sleep 1
done ) &
watcher=$!
# the session kept 4 s after the last echo: the last ratchets (after
# 8192 messages) come near the end, and a loaded i2pctl samples slowly
LINGER=4 pingpong i2prd-to-i2pd "$i2pd_sam" "$our_sam" DATAGRAM 9000 256
kill "$watcher" 2>/dev/null
check "i2prd to i2pd: 9000 repliable datagrams echoed byte-exact" \
    test "$(got i2prd-to-i2pd intact)" -ge 8800
ratchets=$(python3 -c "import glob, json, sys
best = (0, 0)
for name in glob.glob(sys.argv[1] + '/*.json'):
    try:
        rows = json.load(open(name))['sessions']
    except Exception:
        continue
    for r in rows:
        best = max(best, (r['ratchets_out'], r['ratchets_in']))
print('%d %d' % best)" "$tmp/sessions")
echo "    DH ratchets in the session, ours and i2pd's: $ratchets"
check "our tag sets ratcheted twice (after 4096 and 8192 messages)" \
    test "${ratchets% *}" -ge 2
check "i2pd's tag set ratcheted (after 8192 of its messages)" \
    test "${ratchets#* }" -ge 1
pingpong i2pd-to-i2prd "$our_sam" "$i2pd_sam" DATAGRAM 1000 1024
check "i2pd to i2prd: repliable datagrams echoed byte-exact" \
    test "$(got i2pd-to-i2prd intact)" -ge 950
# our side with a key i2pd's DEST GENERATE CRYPTO_TYPE=4 made: its
# X25519 field is not the Destination's key, and is our LeaseSet key
samc generate --sam 198.18.0.3:7656 --version 3.1 > "$tmp/i2pd.priv"
check "i2pd's SAM generated a CRYPTO_TYPE=4 key" test -s "$tmp/i2pd.priv"
pingpong raw "$i2pd_sam" "$our_sam --priv-file $tmp/i2pd.priv" RAW 100 512 \
    --reply-to-file "$tmp/raw.ping"
check "raw datagrams both ways between i2prd (an i2pd-made key) and i2pd" \
    test "$(got raw intact)" -ge 90
# two i2prd routers, a SAM application on each
pingpong i2prd-to-i2prd "--sam 198.18.0.11:7656 --udp 198.18.0.11:7655" \
    "$our_sam" DATAGRAM 500 1024
check "i2prd to i2prd on another router: datagrams echoed byte-exact" \
    test "$(got i2prd-to-i2prd intact)" -ge 475
# an npm SAM library, unchanged, on both i2prd routers
if [ -d "$here/npm/node_modules/@diva.exchange/i2p-sam" ]; then
	diva=$(cd "$here/npm" && nsx node diva.mjs "$me" 198.18.0.11 20 2>&1 |
	    tail -1)
	echo "    @diva.exchange/i2p-sam: $diva"
	divaget() { echo "$diva" | python3 -c "import json, sys
try:
    print(json.load(sys.stdin)[sys.argv[1]])
except Exception:
    print(0)" "$1"; }
	check "@diva.exchange/i2p-sam: datagrams from one i2prd to the other" \
	    test "$(divaget b_received)" -ge 18
	check "@diva.exchange/i2p-sam: the sender is who sent them" \
	    test "$(divaget b_sender_ok)" -eq "$(divaget b_received)"
	check "@diva.exchange/i2p-sam: the replies came back" \
	    test "$(divaget a_received)" -ge 18
else
	nok "@diva.exchange/i2p-sam is not installed (npm ci --prefix tests/interop/npm)"
fi
# streams through SAM (tests/interop/samstream.py): a server on one
# side, N streams at once from the other; 'echo' closes from the
# client's side, 'source' from the server's
sst() { nsx python3 "$here/samstream.py" "$@"; }
streams_once() {	# ATTEMPT NAME SERVER_SAM SERVER_VERSION CLIENT_SAM CLIENT_VERSION N BYTES MODE [serve options]
	local at=$1 name=$2 ssam=$3 sver=$4 csam=$5 cver=$6 n=$7 bytes=$8 mode=$9
	local try
	shift 9
	for try in 1 2 3; do
		rm -f "$tmp/$name".*
		sst serve --sam "$ssam" --version "$sver" --id "s$name$at$try" \
		    --dest-out "$tmp/$name.dest" --opts "$(opts_for "$ssam:")" \
		    --seconds 300 "$@" > "$tmp/$name.serve.out" 2>&1 &
		server_up "$ssam" "$tmp/$name.dest" $! && break
	done
	sst connect --sam "$csam" --version "$cver" --id "c$name$at" \
	    --to="$(cat "$tmp/$name.dest" 2>/dev/null)" --streams "$n" \
	    --bytes "$bytes" --mode "$mode" --opts "$(client_opts_for "$csam:")" \
	    --seconds 240 > "$tmp/$name.out" 2>&1
	pkill -f -- "--id s$name$at$try " 2>/dev/null
	echo "    $name: $(tail -1 "$tmp/$name.out")"
}
# a second try, with new destinations, when not all came back (seen
# once in CI: 2 of 4 back, one closed by i2pd before any byte; likely
# i2pd 2.45.1 ending a stream whose packets overtake its SYN or SYN-ACK
# by 200 ms, as the HTTP benchmark's i2pd logs show); a second failure
# fails the check
streams() {	# NAME SERVER_SAM SERVER_VERSION CLIENT_SAM CLIENT_VERSION N BYTES MODE [serve options]
	streams_once 1 "$@"
	[ "$(sgot "$1" ok)" = "$6" ] && return
	echo "    $1: $(sgot "$1" ok) of $6 back; once more"
	streams_once 2 "$@"
}
sgot() { python3 -c "import json, sys
try:
    print(json.loads(open(sys.argv[1]).read().splitlines()[-1])[sys.argv[2]] or 0)
except Exception:
    print(0)" "$tmp/$1.out" "$2"; }
# four streams at once each way: i2pd opens a ratchet session per
# stream until one is answered (destio keeps them all), and the four
# SYNs of our client go as four New Sessions whose replies come
# together (destio opens them all)
streams st-to-i2pd 198.18.0.3:7656 3.1 "$me:7656" 3.3 4 1000000 echo
check "streams i2prd to i2pd: 4 x 1 MB echoed byte-exact, client closes" \
    test "$(sgot st-to-i2pd ok)" -eq 4
streams st-to-i2pd-src 198.18.0.3:7656 3.1 "$me:7656" 3.3 4 1000000 source
check "streams i2prd to i2pd: 4 x 1 MB from i2pd, i2pd closes" \
    test "$(sgot st-to-i2pd-src ok)" -eq 4
streams st-from-i2pd "$me:7656" 3.3 198.18.0.3:7656 3.1 4 1000000 echo
check "streams i2pd to i2prd: 4 x 1 MB echoed byte-exact, i2pd closes" \
    test "$(sgot st-from-i2pd ok)" -eq 4
streams st-from-i2pd-src "$me:7656" 3.3 198.18.0.3:7656 3.1 2 1000000 source
check "streams i2pd to i2prd: 2 x 1 MB from i2prd, i2prd closes" \
    test "$(sgot st-from-i2pd-src ok)" -eq 2
# i2prd to i2prd through FORWARD to a TCP server on the other router
streams st-fwd 198.18.0.11:7656 3.3 "$me:7656" 3.3 4 1000000 echo \
    --forward 9300
check "streams i2prd to i2prd, FORWARD to a TCP server: 4 x 1 MB" \
    test "$(sgot st-fwd ok)" -eq 4
# the SYN-ACKs of four SYNs at once all came (a lost one costs the 9 s
# first RTO: the connect time says)
check "streams i2prd to i2prd: connected without a resent SYN (under 9 s)" \
    test "$(sgot st-fwd connect_ms)" -lt 9000
# our session ends while an i2pd client's stream to it is open: the
# stream is reset (a signed RESET, before the key goes), and i2pd's SAM
# ends its client's socket at once, where before it never did
rm -f "$tmp"/rs.*
sst serve --sam "$me:7656" --version 3.3 --id srs --accepts 1 \
    --dest-out "$tmp/rs.dest" --opts "$opts" --seconds 120 \
    --drop-on "$tmp/rs.held" > "$tmp/rs.serve.out" 2>&1 &
server_up "$me:7656" "$tmp/rs.dest" $!
sst connect --sam 198.18.0.3:7656 --version 3.1 --id crs \
    --to="$(cat "$tmp/rs.dest" 2>/dev/null)" --bytes 1000 --mode hold \
    --held-out "$tmp/rs.held" --opts "$i2pd_client_opts" --seconds 40 \
    > "$tmp/rs.out" 2>&1
pkill -f -- "--id srs " 2>/dev/null
echo "    session closed with a stream open: $(tail -1 "$tmp/rs.out")"
check "our SAM session ends: i2pd's client stream ends within 20 s (RESET)" \
    test "$(sgot rs ok)" -eq 1 -a "$(sgot rs eof_ms)" -lt 20000
echo "    i2pd 3 garlic/ratchet complaints: $(( $(ratchet_errors) - err0 ))"
ratchet_lines | tail -n +$((err0 + 1)) |
    head -5 | sed 's/^/    i2pd 3: /'
check "i2pd logged no garlic or ratchet error" \
    test "$(ratchet_errors)" -eq "$err0"
check "no i2pd ended a session with an i2prd for a bad frame (reason 4)" \
    bash -c "! grep -q 'terminated by the peer (reason 4)' '$tmp/i2prd.log' '$r2/i2prd.log'"
ctl show sam | sed 's/^/    /'

# --- loss (issue 15) ---------------------------------------------------
# Streams under loss: "test drop client-tunnel" (i2prd.conf(5)) switched
# on by a reload, routerd drops LOSS_PERCENT of our destinations'
# messages each way at random; 512 KB echoed by i2pd and 512 KB sent by
# i2pd must still arrive byte-exact.  Then the knob goes, by a reload.
# LOSS_BASELINE=1 runs the same two streams before, without loss.
loss_pct=${LOSS_PERCENT:-4}
loss_t0=$(date +%s)
loss_bytes=524288
loss_dropped() {	# what the knob dropped since start, out and in
	ctl show metrics | awk '/^i2prd_test_dropped_total/ { n += $NF } END { print n + 0 }'
}
loss_resends() {	# our streams' data packets sent again (debug log)
	tail -n +"$1" "$tmp/i2prd.log" | sed -n 's/.*stream packet out: ids \([0-9]*\/[0-9]*\) seq \([0-9]*\) .* payload \([0-9]*\)$/\1 \2 \3/p' |
	    awk '$3 > 0 { if (seen[$1 " " $2]++) n++ } END { print n + 0 }'
}
loss_logged() {	# PATTERN: in i2prd's log within 10 s
	for _ in $(seq 20); do
		grep -q "$1" "$tmp/i2prd.log" && return 0
		sleep 0.5
	done
	return 1
}
loss_streams() {	# SUFFIX: the two streams, their times printed
	streams "loss-echo$1" 198.18.0.3:7656 3.1 "$me:7656" 3.3 1 $loss_bytes echo
	streams "loss-src$1" 198.18.0.3:7656 3.1 "$me:7656" 3.3 1 $loss_bytes source
	echo "    512 KB echoed in $(sgot "loss-echo$1" seconds) s," \
	    "512 KB from i2pd in $(sgot "loss-src$1" seconds) s$2"
}
if [ "${LOSS_BASELINE:-0}" -ne 0 ]; then
	loss_streams -base " (no loss)"
fi
echo "test drop client-tunnel $loss_pct%" >> "$tmp/i2prd.conf"
ctl reload > /dev/null
check "reload: routerd says it drops $loss_pct% of client tunnel messages" \
    loss_logged "testing: dropping $loss_pct% of client tunnel messages"
loss_line=$(($(wc -l < "$tmp/i2prd.log") + 1))
loss_d0=$(loss_dropped)
loss_streams "" " (${loss_pct}% dropped each way)"
loss_d=$(($(loss_dropped) - loss_d0))
loss_r=$(loss_resends "$loss_line")
echo "    dropped for the test: $loss_d messages; our streams resent" \
    "$loss_r data packets"
ctl show summary | grep '^Testing' | sed 's/^/    /'
check "loss: 512 KB echoed byte-exact by i2pd through ${loss_pct}% loss" \
    test "$(sgot loss-echo ok)" -eq 1
check "loss: 512 KB from i2pd byte-exact through ${loss_pct}% loss" \
    test "$(sgot loss-src ok)" -eq 1
check "loss: show metrics counted what was dropped (> 0)" test "$loss_d" -gt 0
check "loss: our streams resent what was lost (> 0)" test "$loss_r" -gt 0
sed -i '/^test drop client-tunnel/d' "$tmp/i2prd.conf"
ctl reload > /dev/null
check "reload: routerd no longer drops" \
    loss_logged "testing: no longer dropping"
echo "    loss section: $(($(date +%s) - loss_t0)) s"
# --- end of loss ---------------------------------------------------------

# verification: a lookup at the other floodfill, through our tunnels.
# An i2pd floodfill answers down a tunnel only once it has outbound
# tunnels of its own, a minute or so into the network's life: asked
# here, after the datagrams, it has them
for _ in $(seq 90); do
	[ "$(ls_log verified)" -gt 0 ] && break
	sleep 1
done
check "i2prd found its LeaseSet at another floodfill (verified)" \
    test "$(ls_log verified)" -gt 0

# a newer LeaseSet replaces the old one at the floodfills: a reload
# that gives the destination a third inbound tunnel makes one at once
n0=$(ff_stored)
s0=$(ls_log stored)
sed -i 's/destination site inbound length 1 quantity 2/destination site inbound length 1 quantity 3/' \
    "$tmp/i2prd.conf"
ctl reload > /dev/null
for _ in $(seq 120); do
	[ "$(ff_stored)" -gt "$n0" ] && [ "$(ls_log stored)" -gt "$s0" ] && break
	sleep 1
done
echo "    after the reload: stored at i2pd floodfills $(($(ff_stored) - n0))" \
    "more times, $(($(ls_log stored) - s0)) more acks"
check "a newer LeaseSet2 (a third lease) replaced ours at a floodfill" \
    test "$(ff_stored)" -gt "$n0"
check "i2prd heard the new one's store acknowledged" \
    test "$(ls_log stored)" -gt "$s0"
# and after the first tunnels expire (about 9 minutes): only if asked
if [ "${DEST_REPLACE:-0}" -ne 0 ]; then
	n0=$(ff_stored)
	for _ in $(seq 600); do
		[ "$(ff_stored)" -gt "$n0" ] && break
		sleep 1
	done
	check "a newer LeaseSet2 replaced ours after its tunnels expired" \
	    test "$(ff_stored)" -gt "$n0"
fi

check "the suite is still running" suite_up "$tmp"
check "the second i2prd is still running" \
    bash -c "kill -0 \$(cat '$r2/i2prd.pid') 2>/dev/null"
[ -s "$r2/i2prd.pid" ] && kill -TERM "$(cat "$r2/i2prd.pid")" 2>/dev/null
echo "    time: $(($(date +%s) - started)) s"
if [ "$fail" -ne 0 ]; then
	echo "--- i2prd log (LeaseSet lines)"
	grep -iE "leaseset|destination" "$tmp/i2prd.log" | tail -30
	for i in 1 2 3; do
		echo "--- i2pd$i: LeaseSet and SAM lines"
		grep -E "LeaseSet|SAM|Destination" "$tmp/i2pd$i/i2pd.log" | tail -12
	done
fi
echo "destinations: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
