# Shared by the interop scripts (sourced).

# TAP-style lines, counted for the "NAME: N passed, N failed" summary
pass=0; fail=0
ok()  { echo "ok - $*"; pass=$((pass + 1)); }
nok() { echo "not ok - $*"; fail=$((fail + 1)); }
check() { local w=$1; shift; if "$@"; then ok "$w"; else nok "$w"; fi; }

# i2prd_require NAME: root (namespaces, chroot) and the _i2prd user
i2prd_require() {
	[ "$(id -u)" -eq 0 ] || { echo "$1: the interop test needs root"; exit 1; }
	getent passwd _i2prd >/dev/null || useradd --system --no-create-home \
	    --home-dir /nonexistent --shell /usr/sbin/nologin _i2prd
}

# interop_require NAME: without i2pd the script passes nothing and
# exits; then as i2prd_require
interop_require() {
	if ! command -v i2pd >/dev/null; then
		echo "$1: i2pd is not installed (apt-get install i2pd): skipped"
		echo "$1: 0 passed, 0 failed"
		exit 0
	fi
	i2prd_require "$1"
}

# i2pd_write_conf: shared with the private network launcher
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/../../etc" && pwd)/i2pd-conf.sh"

# netns_up NAME N...: a namespace with loopback up and 198.18.0.N/32 on
# it for each N (TESTNET.md); netns_down NAME kills whatever still runs
# in it and removes it.
netns_up() {
	local ns=$1 i
	shift
	ip netns add "$ns" && ip -n "$ns" link set lo up || return 1
	for i in "$@"; do ip -n "$ns" addr add "198.18.0.$i/32" dev lo; done
}
netns_down() {
	ip netns pids "$1" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
	ip netns del "$1" 2>/dev/null
}

# b64 hash of a RouterInfo file (SHA-256 of its 391-byte identity)
ri_hash() {
	python3 -c 'import sys,hashlib,base64
print(base64.b64encode(hashlib.sha256(open(sys.argv[1],"rb").read()[:391]).digest(), b"-~").decode())' "$1"
}

# netdb_seed NETDB_DIR RI_FILE: netDb/r<C>/routerInfo-<hash>.dat; i2pd
# saves only into the r<C> directories it finds, so make all 64
netdb_seed() {
	local h c
	h=$(ri_hash "$2")
	for c in {A..Z} {a..z} {0..9} - '~'; do mkdir -p "$1/r$c"; done
	cp "$2" "$1/r${h:0:1}/routerInfo-$h.dat"
	chmod 0644 "$1/r${h:0:1}/routerInfo-$h.dat"
}

# netdb_has DATADIR HASH: the router's netDb holds that RouterInfo
netdb_has() {
	[ -e "$1/netDb/r${2:0:1}/routerInfo-$2.dat" ]
}

# i2prd_write_conf DIR ADDRESS [extra lines...]: DIR/i2prd.conf for an
# i2prd in a test namespace, state, socket and pid file under DIR
i2prd_write_conf() {
	local d=$1 addr=$2
	shift 2
	cat > "$d/i2prd.conf" <<CONF
statedir "$d/state"
socket "$d/i2prd.sock"
pidfile "$d/i2prd.pid"
netid 99
listen on $addr port 20000
$(printf '%s\n' "$@")
CONF
}

# A network of i2pd routers in one namespace.  The caller sets tmp (a
# directory), ns (the namespace) and n_i2pd; router i lives in
# $tmp/i2pd$i at 198.18.0.i, its pid in pids[i].
declare -a pids

i2pd_conf() {	# index, floodfill true/false
	mkdir -p "$tmp/i2pd$1"
	i2pd_write_conf "$tmp/i2pd$1" "198.18.0.$1" "$2" \
	    "${I2PD_LOGLEVEL:-info}" "threshold = 0"
}

# not through a function's pipe: $! must be i2pd itself, for kill and
# wait.  Its client and server tunnels come from tunnels.conf in its
# data dir when the test wrote one, else it has none.
i2pd_start() {
	local d=$tmp/i2pd$1 tc=/dev/null
	[ -e "$d/tunnels.conf" ] && tc=$d/tunnels.conf
	ip netns exec "$ns" i2pd --datadir="$d" --conf="$d/i2pd.conf" \
	    --tunconf="$tc" --pidfile="$d/i2pd.pid" >/dev/null 2>&1 &
	pids[$1]=$!
}

# i2pd_ssu2_on I / i2pd_ntcp2_off I: i2pd I's config (lib.sh's i2pd_conf
# has NTCP2 only) with SSU2 enabled and published / without NTCP2
i2pd_ssu2_on() {
	sed -i '/^\[ssu2\]$/,/^\[r/ s/^enabled = false$/enabled = true\npublished = true/' \
	    "$tmp/i2pd$1/i2pd.conf"
}
i2pd_ntcp2_off() {
	sed -i '/^\[ntcp2\]$/,/^\[/ s/= true$/= false/' "$tmp/i2pd$1/i2pd.conf"
}

# i2pd may detach: stop it through its pid file and wait for it to go
i2pd_stop_all() {
	local i p
	for i in $(seq 1 $n_i2pd); do
		p=$(cat "$tmp/i2pd$i/i2pd.pid" 2>/dev/null)
		[ -n "$p" ] && kill -TERM "$p" 2>/dev/null
	done
	for _ in $(seq 100); do
		[ -z "$(ip netns pids "$ns")" ] && break
		sleep 0.1
	done
	ip netns pids "$ns" | xargs -r kill -KILL 2>/dev/null
	for i in $(seq 1 $n_i2pd); do wait "${pids[$i]}" 2>/dev/null; pids[$i]=; done
}

# i2pd_identities NFF: each router starts once to make its keys and
# router.info (routers 1..NFF floodfills), then stops with an empty netDb
# i2pd_know_each_other: every i2pd router's netDb holds all the others
i2pd_know_each_other() {
	local i j
	for i in $(seq 1 $n_i2pd); do
		for j in $(seq 1 $n_i2pd); do
			[ "$i" -ne "$j" ] && netdb_seed "$tmp/i2pd$i/netDb" \
			    "$tmp/i2pd$j/router.info"
		done
	done
}

i2pd_identities() {
	local i n
	for i in $(seq 1 $n_i2pd); do
		i2pd_conf "$i" "$([ "$i" -le "$1" ] && echo true || echo false)"
		i2pd_start "$i"
	done
	for _ in $(seq 100); do
		n=0
		for i in $(seq 1 $n_i2pd); do
			[ -s "$tmp/i2pd$i/router.info" ] && n=$((n + 1))
		done
		[ "$n" -eq "$n_i2pd" ] && break
		sleep 0.1
	done
	i2pd_stop_all
	for i in $(seq 1 $n_i2pd); do rm -rf "$tmp/i2pd$i/netDb"; done
}

# everything the test started goes, even when it failed: i2pd routers,
# the i2prd suite under $tmp, the namespace, $tmp.  With INTEROP_KEEP
# set to a directory, a failed run's $tmp (logs, netDbs, profiles) is
# moved there first; with I2PD_LOGLEVEL=debug, i2pd's logs say more.
testnet_cleanup() {
	local p
	for p in "${pids[@]:-}"; do [ -n "$p" ] && kill -KILL "$p" 2>/dev/null; done
	[ -s "$tmp/i2prd.pid" ] && kill -TERM "$(cat "$tmp/i2prd.pid")" 2>/dev/null
	sleep 0.5
	pkill -KILL -f "i2prd-(netd|cryptod|routerd|tunneld) .*-s $tmp/" 2>/dev/null
	netns_down "$ns"
	if [ -n "${INTEROP_KEEP:-}" ] && [ "${fail:-0}" -ne 0 ]; then
		mkdir -p "$INTEROP_KEEP" && mv "$tmp" "$INTEROP_KEEP/" &&
		    echo "kept in $INTEROP_KEEP/$(basename "$tmp")"
	fi
	rm -rf "$tmp"
}

# i2prd_run [DIR]: the suite from DIR/i2prd.conf (DIR: $tmp) in the
# namespace, as root (chroot, privilege drop), logging to DIR/i2prd.log;
# returns once its RouterInfo is written
i2prd_run() {
	local d=${1:-$tmp}
	I2PRD_LIBEXEC=$build ip netns exec "$ns" "$build/i2prd" -d \
	    -f "$d/i2prd.conf" >"$d/i2prd.log" 2>&1 &
	for _ in $(seq 100); do
		[ -s "$d/state/router/router.info" ] && break
		sleep 0.1
	done
}

# i2prd_suite DIR ADDRESS [extra lines...]: an i2prd router under DIR
# (a second one beside $tmp, not in it, so that suite_up tells them
# apart) at ADDRESS in $ns, knowing the $n_i2pd i2pd routers of $tmp,
# one-hop exploratory tunnels, its SAM bridge on ADDRESS:7656, the extra
# lines in its i2prd.conf; returns once its RouterInfo is written
i2prd_suite() {
	local d=$1 addr=$2 i
	shift 2
	mkdir -p "$d/state/router/netDb"
	for i in $(seq 1 $n_i2pd); do
		netdb_seed "$d/state/router/netDb" "$tmp/i2pd$i/router.info"
	done
	chown -R _i2prd "$d/state/router"
	i2prd_write_conf "$d" "$addr" "log level debug" \
	    "exploratory inbound length 1 quantity 2" \
	    "exploratory outbound length 1 quantity 2" \
	    "sam listen on $addr port 7656" "$@"
	i2prd_run "$d"
}

# i2prd_stop: an orderly stop of the suite under $tmp; returns once
# every process of it is gone (or after 10 s)
i2prd_stop() {
	kill -TERM "$(cat "$tmp/i2prd.pid")"
	for _ in $(seq 100); do
		pgrep -f "i2prd-(netd|cryptod|routerd|tunneld) .*-s $tmp/" \
		    >/dev/null || break
		sleep 0.1
	done
}

# https_serve ADDRESS NAME PORT: an HTTPS server in $ns at ADDRESS (IPv4
# or IPv6) and PORT of the files in $tmp/www, with the certificate and
# key $tmp/tls/NAME.crt and .key; requests are logged, with their
# User-Agent, to $tmp/https-NAME.log
https_serve() {
	ip netns exec "$ns" python3 -c '
import http.server, os, socket, ssl, sys
addr, crt, key, root = sys.argv[1:5]
os.chdir(root)
class H(http.server.SimpleHTTPRequestHandler):
    def log_message(self, fmt, *a):
        sys.stderr.write("%s %s\n" % (self.headers.get("User-Agent"), fmt % a))
class S(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6 if ":" in addr else socket.AF_INET
srv = S((addr, int(sys.argv[5])), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(crt, key)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.serve_forever()' "$1" "$tmp/tls/$2.crt" "$tmp/tls/$2.key" "$tmp/www" "$3" \
	    2>>"$tmp/https-$2.log" &
}

# tls_ca: a test CA in $tmp/tls (ca.crt, ca.key); tls_cert NAME IP: a
# certificate of it for that IP address (NAME.crt, NAME.key)
tls_ca() {
	mkdir -p "$tmp/tls"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/tls/ca.key" \
	    -out "$tmp/tls/ca.crt" -days 2 -subj "/CN=i2prd test CA" 2>/dev/null
}
tls_cert() {
	openssl req -new -newkey rsa:2048 -nodes -keyout "$tmp/tls/$1.key" \
	    -subj "/CN=$2" -addext "subjectAltName=IP:$2" 2>/dev/null |
	    openssl x509 -req -CA "$tmp/tls/ca.crt" -CAkey "$tmp/tls/ca.key" \
	    -CAcreateserial -days 2 -copy_extensions copy \
	    -out "$tmp/tls/$1.crt" 2>/dev/null
}

# transit_accepted: the transit tunnels the suite under $tmp accepted
transit_accepted() {
	ip netns exec "$ns" "$build/i2pctl" -s "$tmp/i2prd.sock" -j show \
	    transit | python3 -c "import json, sys
print(sum(json.load(sys.stdin)['transit']['accepted'].values()))"
}

# ctl_json VIEW KEY: one figure of "i2pctl -j show VIEW"
ctl_json() {
	ip netns exec "$ns" "$build/i2pctl" -s "$tmp/i2prd.sock" -j show "$1" |
	    python3 -c "import json, sys
print(json.load(sys.stdin)['$1']['$2'])"
}

# suite_up DIR: every child of the suite whose socket is under DIR runs
suite_up() {
	[ "$(pgrep -f "i2prd-(netd|cryptod|routerd|tunneld) .*-s $1/" |
	    wc -l)" -eq 4 ]
}
# suite_rss DIR: kB, the parent (DIR/i2prd.pid) and its four children
suite_rss() {
	local p t=0
	for p in $(cat "$1/i2prd.pid" 2>/dev/null) $(pgrep -f \
	    "i2prd-(netd|cryptod|routerd|tunneld) .*-s $1/"); do
		t=$((t + $(awk '/^VmRSS/ { print $2 }' /proc/$p/status 2>/dev/null || echo 0)))
	done
	echo "$t"
}

# launcher_setup NAME: $tmp and the namespace $ns for a network of the
# private network launcher (etc/testnet.sh, exported TESTNET_NS), both
# gone on exit; with INTEROP_KEEP=DIR a failed run's routers (logs,
# netDbs) are kept there.  Needs $top, the source tree.
launcher_setup() {
	tmp=$(mktemp -d "/tmp/i2prd-$1.XXXXXX")
	chmod 0755 "$tmp"
	export TESTNET_NS=i2prd-$1-$$
	ns=$TESTNET_NS
	trap launcher_cleanup EXIT
}
launcher_cleanup() {
	bash "$top/etc/testnet.sh" stop -d "$tmp" >/dev/null 2>&1
	netns_down "$ns"
	if [ -n "${INTEROP_KEEP:-}" ] && [ "${fail:-0}" -ne 0 ]; then
		mkdir -p "$INTEROP_KEEP" && cp -r "$tmp" "$INTEROP_KEEP/"
	fi
	rm -rf "$tmp"
}
