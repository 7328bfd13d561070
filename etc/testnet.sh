#!/bin/bash
# A private I2P network on this machine (TESTNET.md): N i2prd routers
# and, when i2pd is installed, M i2pd routers, in a network namespace of
# their own with 198.18.0.x addresses on its loopback.  Nothing leaves
# the namespace.  As root.
#
#   testnet.sh start [-n N] [-m M] [-f F] [-b BUILD] [-d DIR]
#   testnet.sh stop [-d DIR]
#   testnet.sh status [-d DIR]
#
# start: every router gets an identity, every RouterInfo is copied into
#   every netDb (the seeding TESTNET.md describes), then all start in
#   the background.  The first F routers are floodfills (default 2:
#   i2pd's when there are i2pd routers, else i2prd's).  Defaults: 3
#   i2prd, 4 i2pd (0 without i2pd), DIR ./testnet, BUILD ./build.
#   State stays in DIR: a later start goes on with the same routers.
# stop: every router stopped through its pid file, the namespace gone.
# status: each i2prd router's summary and tunnels.
#
# TESTNET_NS names the namespace (default i2prd-testnet); lines in
# TESTNET_I2PRD_CONF and TESTNET_I2PD_CONF are added to every new i2prd
# and i2pd configuration (i2pd's after its main section).
#
# Router k of i2prd lives in DIR/i2prd<k> at 198.18.0.<10+k>, control
# socket DIR/i2prd<k>/i2prd.sock; i2pd router k in DIR/i2pd<k> at
# 198.18.0.<k>, console at http://198.18.0.<k>:7070/ in the namespace.
set -u
shopt -s nullglob
cmd=${1:-}
[ $# -gt 0 ] && shift
n=3
m=
ff=2
build=build
dir=testnet
while getopts "n:m:f:b:d:" o; do
	case $o in
	n) n=$OPTARG ;;
	m) m=$OPTARG ;;
	f) ff=$OPTARG ;;
	b) build=$OPTARG ;;
	d) dir=$OPTARG ;;
	*) exit 2 ;;
	esac
done
ns=${TESTNET_NS:-i2prd-testnet}
etc=$(cd "$(dirname "$0")" && pwd)
. "$etc/i2pd-conf.sh"
usage() {
	echo "usage: testnet.sh start [-n i2prd] [-m i2pd] [-f floodfills]" \
	    "[-b build] [-d dir] | stop [-d dir] | status [-d dir]" >&2
	exit 2
}
[ "$(id -u)" -eq 0 ] || { echo "testnet.sh: needs root (namespaces)" >&2; exit 1; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
build=$(cd "$build" 2>/dev/null && pwd) || { echo "testnet.sh: no $build" >&2; exit 1; }

b64hash() {	# I2P base64 of SHA-256 over a RouterInfo's identity
	python3 -c 'import sys,hashlib,base64
print(base64.b64encode(hashlib.sha256(open(sys.argv[1],"rb").read()[:391]).digest(), b"-~").decode())' "$1"
}

seed() {	# NETDB_DIR RI_FILE
	local h c
	h=$(b64hash "$2")
	for c in {A..Z} {a..z} {0..9} - '~'; do mkdir -p "$1/r$c"; done
	cp "$2" "$1/r${h:0:1}/routerInfo-$h.dat"
	chmod 0644 "$1/r${h:0:1}/routerInfo-$h.dat"
}

i2pd_conf() {	# k floodfill: its console on too
	local d=$dir/i2pd$1 a=198.18.0.$1
	mkdir -p "$d"
	i2pd_write_conf "$d" "$a" "$2" warn "threshold = 0"
	[ -z "${TESTNET_I2PD_CONF:-}" ] ||
	    printf '%s\n' "$TESTNET_I2PD_CONF" >> "$d/i2pd.conf"
	sed -i "s/^\[http\]\$/[http]\naddress = $a\nport = 7070\nstrictheaders = false/;
	    /^\[http\]/,/^\[/ s/^enabled = false/enabled = true/" "$d/i2pd.conf"
}

i2prd_conf() {	# k floodfill
	local d=$dir/i2prd$1
	mkdir -p "$d/state"
	chmod 0755 "$d"
	[ -f "$d/i2prd.conf" ] || cat > "$d/i2prd.conf" <<CONF
# i2prd router $1 of the private network (etc/testnet.sh)
statedir "$d/state"
socket "$d/i2prd.sock"
pidfile "$d/i2prd.pid"
netid 99
floodfill $2
listen on 198.18.0.$((10 + $1)) port 20000
log level info
$(demo_conf "$1")
${TESTNET_I2PRD_CONF:-}
CONF
	chmod 0644 "$d/i2prd.conf"
}

# the demo: router 1 hosts a site through an HTTP server tunnel,
# router 2 has an HTTP proxy that knows it as demo.i2p
demo_conf() {	# k
	case $1 in
	1) printf '%s\n' "destination demo inbound length 1 quantity 2 outbound length 1 quantity 2 {" \
	    "	http server to 198.18.0.11 port 8080" "}" ;;
	2) printf '%s\n' "destination browse inbound length 1 quantity 2 outbound length 1 quantity 2 {" \
	    "	http proxy listen on 198.18.0.12 port 4444" "}" ;;
	esac
}

# the demo site's pages, and its web server in the namespace
demo_site() {
	local www=$dir/demo-site
	mkdir -p "$www"
	[ -f "$www/index.html" ] || cat > "$www/index.html" <<'HTML'
<!DOCTYPE html>
<html><head><title>demo.i2p</title></head>
<body>
<h1>Hello from demo.i2p</h1>
<p>This page came to you over the private I2P network: from a web
server behind router i2prd1's HTTP server tunnel, through router
i2prd2's HTTP proxy.</p>
<p><img src="i2p.png" alt="a small picture" width="64" height="64"></p>
<form action="/echo" method="post"><input name="q"><button>Send</button></form>
<p><a href="check.html">A browser check</a>: a page that submits its form
by itself once its picture has loaded.</p>
</body></html>
HTML
	# the page tests/interop/i2prd_net.sh has Chromium load: once the
	# picture is in, its width goes into the form with the q of the
	# page's address, and the form goes to /echo, whose answer shows both
	[ -f "$www/check.html" ] || cat > "$www/check.html" <<'HTML'
<!DOCTYPE html>
<html><head><title>demo.i2p: browser check</title>
<link rel="icon" href="data:,"></head>
<body>
<h1>Browser check</h1>
<p><img id="pic" src="i2p.png" alt="a small picture"></p>
<form id="form" action="/echo" method="post">
<input name="q" value="hello"><input type="hidden" name="width" value="none">
<button>Send</button></form>
<p id="status">waiting for the picture</p>
<script>
var pic = document.getElementById("pic");
var form = document.getElementById("form");
function send() {
	var q = new URLSearchParams(location.search).get("q");
	if (q)
		form.elements.q.value = q;
	form.elements.width.value = pic.naturalWidth;
	form.submit();
}
pic.addEventListener("error", function () {
	document.getElementById("status").textContent = "the picture did not load";
});
if (pic.complete && pic.naturalWidth > 0)
	send();
else
	pic.addEventListener("load", send);
</script>
</body></html>
HTML
	[ -f "$www/i2p.png" ] || python3 -c 'import struct, sys, zlib
w = h = 64
raw = b"".join(b"\0" + bytes(v for x in range(w) for v in (x * 4, y * 4, 160))
    for y in range(h))
def chunk(t, d):
    return (struct.pack(">I", len(d)) + t + d +
        struct.pack(">I", zlib.crc32(t + d) & 0xffffffff))
sys.stdout.buffer.write(b"\x89PNG\r\n\x1a\n" +
    chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
    chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))' > "$www/i2p.png"
	ip netns exec "$ns" python3 "$etc/demo-site.py" 198.18.0.11 8080 \
	    "$www" >>"$dir/demo-site.log" 2>&1 &
}

# demo.i2p into router 2's address book, once router 1 knows its key
demo_name() {
	local ctl1="ip netns exec $ns $build/i2pctl -s $dir/i2prd1/i2prd.sock"
	local ctl2="ip netns exec $ns $build/i2pctl -s $dir/i2prd2/i2prd.sock"
	local b64=
	for _ in $(seq 100); do
		b64=$($ctl1 -j show destinations 2>/dev/null | python3 -c "
import json, sys
for d in json.load(sys.stdin)['destinations']:
    if d['name'] == 'demo' and d['destination']:
        print(d['destination'])" 2>/dev/null)
		[ -n "$b64" ] && $ctl2 addressbook add demo.i2p "$b64" \
		    >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	echo "testnet: demo.i2p not in i2prd2's address book" >&2
	return 1
}

i2pd_run() {
	local d=$dir/i2pd$1
	ip netns exec "$ns" i2pd --datadir="$d" --conf="$d/i2pd.conf" \
	    --tunconf=/dev/null --pidfile="$d/i2pd.pid" >/dev/null 2>&1 &
}

i2prd_run() {
	local d=$dir/i2prd$1
	I2PRD_LIBEXEC=$build ip netns exec "$ns" "$build/i2prd" -d \
	    -f "$d/i2prd.conf" >>"$d/i2prd.log" 2>&1 &
}

wait_for() {	# FILE: up to 10 s
	for _ in $(seq 100); do [ -s "$1" ] && return 0; sleep 0.1; done
	return 1
}

stop_all() {
	local p f
	for f in "$dir"/i2prd*/i2prd.pid "$dir"/i2pd*/i2pd.pid; do
		[ -s "$f" ] || continue
		p=$(cat "$f" 2>/dev/null)
		[ -n "$p" ] || continue
		kill -TERM "$p" 2>/dev/null
	done
	for _ in $(seq 100); do
		[ -z "$(ip netns pids "$ns" 2>/dev/null)" ] && break
		sleep 0.1
	done
	ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
	rm -f "$dir"/i2prd*/i2prd.pid "$dir"/i2pd*/i2pd.pid
}

start() {
	local k total ri
	[ -n "$m" ] || { command -v i2pd >/dev/null && m=4 || m=0; }
	[ "$m" -eq 0 ] || command -v i2pd >/dev/null ||
	    { echo "testnet.sh: i2pd is not installed" >&2; exit 1; }
	[ "$n" -ge 0 ] && [ "$n" -le 40 ] && [ "$m" -ge 0 ] && [ "$m" -le 9 ] &&
	    [ $((n + m)) -ge 2 ] || usage
	if ip netns list | grep -qw "$ns"; then
		echo "testnet.sh: $ns exists: stop it first" >&2
		exit 1
	fi
	getent passwd _i2prd >/dev/null || useradd --system --no-create-home \
	    --home-dir /nonexistent --shell /usr/sbin/nologin _i2prd
	ip netns add "$ns"
	ip -n "$ns" link set lo up
	for k in $(seq 1 "$m"); do ip -n "$ns" addr add "198.18.0.$k/32" dev lo; done
	for k in $(seq 1 "$n"); do
		ip -n "$ns" addr add "198.18.0.$((10 + k))/32" dev lo
	done
	# identities: each router once, alone, to write its RouterInfo
	for k in $(seq 1 "$m"); do
		i2pd_conf "$k" "$([ "$k" -le "$ff" ] && echo true || echo false)"
		[ -s "$dir/i2pd$k/router.info" ] || { i2pd_run "$k";
		    wait_for "$dir/i2pd$k/router.info"; }
	done
	for k in $(seq 1 "$n"); do
		i2prd_conf "$k" "$([ "$m" -eq 0 ] && [ "$k" -le "$ff" ] &&
		    echo yes || echo no)"
		[ -s "$dir/i2prd$k/state/router/router.info" ] || { i2prd_run "$k";
		    wait_for "$dir/i2prd$k/state/router/router.info"; }
	done
	stop_all
	# every RouterInfo into every other netDb
	for k in $(seq 1 "$m"); do
		for ri in "$dir"/i2pd*/router.info "$dir"/i2prd*/state/router/router.info; do
			[ "$ri" = "$dir/i2pd$k/router.info" ] || seed "$dir/i2pd$k/netDb" "$ri"
		done
	done
	for k in $(seq 1 "$n"); do
		for ri in "$dir"/i2pd*/router.info "$dir"/i2prd*/state/router/router.info; do
			[ "$ri" = "$dir/i2prd$k/state/router/router.info" ] ||
			    seed "$dir/i2prd$k/state/router/netDb" "$ri"
		done
		chown -R _i2prd "$dir/i2prd$k/state/router"
	done
	for k in $(seq 1 "$m"); do i2pd_run "$k"; done
	for k in $(seq 1 "$n"); do i2prd_run "$k"; done
	for k in $(seq 1 "$n"); do wait_for "$dir/i2prd$k/i2prd.pid"; done
	[ "$n" -ge 2 ] && demo_site && demo_name
	total=$((n + m))
	echo "testnet: $n i2prd and $m i2pd routers in namespace $ns ($total in all)"
	for k in $(seq 1 "$n"); do
		echo "  i2prd$k 198.18.0.$((10 + k)): ip netns exec $ns" \
		    "$build/i2pctl -s $dir/i2prd$k/i2prd.sock show summary"
	done
	for k in $(seq 1 "$m"); do
		echo "  i2pd$k  198.18.0.$k: console http://198.18.0.$k:7070/ (in $ns)"
	done
	[ "$n" -ge 2 ] || return 0
	echo "  demo site demo.i2p (on i2prd1), through i2prd2's HTTP proxy, once"
	echo "  the tunnels are up (a minute or so):"
	echo "    ip netns exec $ns curl -x http://198.18.0.12:4444 http://demo.i2p/"
}

status() {
	local s
	for s in "$dir"/i2prd*/i2prd.sock; do
		[ -S "$s" ] || continue
		echo "== ${s%/i2prd.sock}"
		ip netns exec "$ns" "$build/i2pctl" -s "$s" show summary |
		    grep -E '^(Uptime|Router hash|Caps)'
		ip netns exec "$ns" "$build/i2pctl" -s "$s" show tunnels |
		    grep -E '^(Exploratory|  Built)'
	done
}

case $cmd in
start)	start ;;
stop)	stop_all; ip netns del "$ns" 2>/dev/null; echo "testnet: stopped" ;;
status)	status ;;
*)	usage ;;
esac
