#!/bin/bash
# Whole-suite system test, as root: start i2prd with a temporary state
# directory and control socket, and check what DESIGN.md promises of the
# running processes (user, chroot, seccomp), control, reload, log level,
# the death of a child, and an orderly stop.
set -u
build=$(cd "${1:-build}" && pwd)
user=_i2prd
pass=0; fail=0
ok()   { echo "ok - $*"; pass=$((pass + 1)); }
nok()  { echo "not ok - $*"; fail=$((fail + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else nok "$what"; fi; }
# true if none of the pids given is alive
all_gone() { local p; for p in "$@"; do kill -0 "$p" 2>/dev/null && return 1; done; return 0; }

[ "$(id -u)" -eq 0 ] || { echo "system test needs root"; exit 1; }
getent passwd $user >/dev/null || useradd --system --no-create-home \
    --home-dir /nonexistent --shell /usr/sbin/nologin $user
uid=$(id -u $user)

tmp=$(mktemp -d /tmp/i2prd-system.XXXXXX)
chmod 0755 "$tmp"
conf=$tmp/i2prd.conf
sock=$tmp/i2prd.sock
pidf=$tmp/i2prd.pid
state=$tmp/state
log=$tmp/log
ppid_=
ctl() { "$build/i2pctl" -s "$sock" "$@"; }

cleanup() {
	# a failure's evidence: the suite's log goes with the directory
	if [ "${fail:-0}" -gt 0 ] && [ -s "$log" ]; then
		echo "--- the suite's log: deaths and fatal lines, then its end"
		grep -nE 'fatal|died|signal|exited|abort|SIGSYS|killed' "$log" |
		    head -40
		tail -40 "$log"
	fi
	[ -n "$ppid_" ] && kill -KILL "$ppid_" 2>/dev/null
	pkill -KILL -f "i2prd-(netd|cryptod|routerd|tunneld) .*-s $tmp/" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

writeconf() {	# log level, netid[, a line more]
	cat > "$conf" <<CONF
state = "$state"
statedir \$state
socket "$sock"
pidfile "$pidf"
user "$user"
netid $2
floodfill no
log level $1
listen on 198.18.0.1 port 20000
CONF
	[ -z "${3:-}" ] || echo "$3" >> "$conf"
	chmod 0644 "$conf"
}

start() {
	: > "$log"
	I2PRD_LIBEXEC=$build "$build/i2prd" -d -f "$conf" >>"$log" 2>&1 &
	ppid_=$!
	for _ in $(seq 100); do
		[ -s "$pidf" ] && return 0
		kill -0 "$ppid_" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

children() { pgrep -P "$ppid_" | sort -n; }
pid_of() { pgrep -P "$ppid_" -x "i2prd-$1"; }

# waits for the parent to exit; sets rc
wait_parent() {
	for _ in $(seq 100); do
		kill -0 "$ppid_" 2>/dev/null || break
		sleep 0.1
	done
	wait "$ppid_"; rc=$?
}

child_ok() {	# name, chroot dir
	local pid root uids
	pid=$(pid_of "$1") || return 1
	root=$(readlink "/proc/$pid/root")
	uids=$(awk '/^Uid:/ { print $2, $3, $4, $5 }' "/proc/$pid/status")
	[ "$root" = "$state/$2" ] || { echo "  $1 root is $root"; return 1; }
	[ "$uids" = "$uid $uid $uid $uid" ] || { echo "  $1 uids $uids"; return 1; }
	grep -q '^Seccomp:[[:space:]]*2$' "/proc/$pid/status" ||
	    { echo "  $1 not in seccomp filter mode"; return 1; }
	awk '/^Max core file size/ { exit !($5 == 0 && $6 == 0) }' \
	    "/proc/$pid/limits" || { echo "  $1 may dump core"; return 1; }
}

# our NTCP2 "s" as published, and the identity's X25519 key (the first
# 32 bytes of router.info) in the same base64
ri_s() { ctl show router | sed -n 's/^ *s=//p' | head -1; }
ident_x25519() {
	python3 -c 'import base64, sys
k = open(sys.argv[1], "rb").read()[:32]
print(base64.b64encode(k, b"-~").decode())' "$state/router/router.info"
}

json_summary() {	# prints "netid generation level nprocs"
	ctl -j show summary | python3 -c '
import json, sys
s = json.load(sys.stdin)["summary"]
print(s["netid"], s["generation"], s["log_level"], len(s["processes"]),
      " ".join(str(p["pid"]) for p in s["processes"]))'
}

samport=17656
samconf="sam listen on 127.0.0.1 port $samport"
writeconf info 99 "$samconf"
# a damaged RouterInfo in the netDb is skipped, not fatal
mkdir -p "$state/router/netDb/rA"
head -c 700 /dev/urandom > "$state/router/netDb/rA/routerInfo-AAAA.dat"
check "config -n accepts the test config" \
    "$build/i2prd" -n -f "$conf"
if ! start; then
	nok "suite starts and writes its pid file"
	cat "$log"
	echo "system: $pass passed, $fail failed"
	exit 1
fi
ok "suite starts and writes its pid file"
check "a damaged netDb file is skipped with a log line" \
    grep -q 'netDb: netDb/rA/routerInfo-AAAA.dat: malformed, skipped' "$log"
check "five processes (parent and four children)" \
    test "$(children | wc -l)" -eq 4
check "pid file holds the parent's pid" test "$(cat "$pidf")" = "$ppid_"
check "control socket is mode 0660" \
    test "$(stat -c %a "$sock")" = 660
check "netd: user $user, chroot $state/empty, seccomp, no core" child_ok netd empty
check "cryptod: user $user, chroot $state/keys, seccomp, no core" child_ok cryptod keys
check "routerd: user $user, chroot $state/router, seccomp, no core" child_ok routerd router
check "tunneld: user $user, chroot $state/client, seccomp, no core" child_ok tunneld client
check "keys directory is 0700 and owned by $user" \
    test "$(stat -c '%a %u' "$state/keys")" = "700 $uid"
check "netd's chroot is owned by root" \
    test "$(stat -c '%u' "$state/empty")" = 0
check "router.key is 0600 and owned by $user" \
    test "$(stat -c '%a %u' "$state/keys/router.key")" = "600 $uid"
check "ntcp2.key is 0600 and owned by $user" \
    test "$(stat -c '%a %u' "$state/keys/ntcp2.key")" = "600 $uid"
check "no key material under the netd, routerd or tunneld chroots" \
    python3 "$(dirname "$0")/keyscan.py" "$state"

out=$(ctl show summary)
echo "$out" | sed 's/^/    /'
check "show summary names every process with its pid" bash -c '
	for p in netd cryptod routerd tunneld; do
		echo "$1" | grep -Eq "^$p +$(pgrep -P "$2" -x i2prd-$p)\$" || exit 1
	done
	echo "$1" | grep -Eq "^parent +$2\$"' _ "$out" "$ppid_"
check "show summary (prefix 'sh su') shows netid 99" \
    bash -c "'$build/i2pctl' -s '$sock' sh su | grep -Eq '^Network ID +99$'"
js=$(json_summary)
check "show summary -j parses: netid 99, generation 0, info, 5 processes" \
    test "$(echo "$js" | cut -d' ' -f1-4)" = "99 0 info 5"
# routerd publishes right after start-up, once cryptod has signed
for _ in $(seq 50); do
	ctl show router | grep -q '^Router hash' && break
	sleep 0.1
done
ri_out=$(ctl show router)
echo "$ri_out" | sed 's/^/    /'
hash=$(ctl show | awk '/^Router hash/ { print $3 }')
check "summary shows a router hash (44 base64 characters)" \
    test "${#hash}" -eq 44
check "summary shows caps XR" bash -c \
    "'$build/i2pctl' -s '$sock' show | grep -Eq '^Caps +XR\$'"
check "show router: same hash, valid signature" bash -c \
    "echo \"\$1\" | grep -q \"^Router hash *$hash\$\" &&
     echo \"\$1\" | grep -q 'signature valid'" _ "$ri_out"
check "show router: NTCP2 at 198.18.0.1 port 20000 with s and i" bash -c \
    "for w in 'NTCP2, cost 3' host=198.18.0.1 port=20000 ' s=' ' i=' \
	    netId=99 router.version=0.9.57; do
	echo \"\$1\" | grep -q -- \"\$w\" || exit 1; done" _ "$ri_out"
check "router.info written in routerd's directory" \
    test -s "$state/router/router.info"
s_first=$(ri_s)
check "NTCP2 s is its own key, not the identity's X25519 key (audit #9)" \
    test -n "$s_first" -a "$s_first" != "$(ident_x25519)"
check "show router -j: valid JSON with the same hash" bash -c "
    '$build/i2pctl' -s '$sock' -j show router | python3 -c '
import json, sys
r = json.load(sys.stdin)[\"router\"]
sys.exit(0 if r[\"hash\"] == sys.argv[1] and r[\"signature_valid\"] else 1)
' '$hash'"

check "show peers: a table header and no sessions (no peers known)" \
    bash -c "'$build/i2pctl' -s '$sock' show peers | grep -q '^Peer .*Transport .*RTT/window/resends/MTU\$'"
check "show peers -j: an empty list, then netd's session limits" \
    bash -c "'$build/i2pctl' -s '$sock' -j show peers | python3 -c 'import json, sys
d = json.load(sys.stdin)
sys.exit(not (d[\"peers\"] == [] and d[\"sessions\"][\"max\"] > 0))'"
check "show peers limits: the session slots" \
    bash -c "'$build/i2pctl' -s '$sock' show peers limits | grep -q '^Sessions (slots) .* 0 of [1-9]'"
check "show tunnels: both pools, none built (no peers known)" \
    bash -c "'$build/i2pctl' -s '$sock' show tunnels |
    grep -q '^Exploratory outbound: length 2, quantity 3; 0 ready, 0 building\$'"
check "show profiles -j: no peers, no tiers" \
    test "$(ctl -j show profiles | tr -d ' \n')" = \
    '{"profiles":{"capacity_threshold":1,"latency_threshold_ms":0,"tiers":{"fast":0,"high_capacity":0,"not_failing":0,"failing":0},"peers":[]}}'
check "show transit: the default limit" \
    bash -c "'$build/i2pctl' -s '$sock' show transit | grep -q '^Transit tunnels (max) *0 of 2500\$'"
# show metrics: the OpenMetrics text, held to tests/system/omcheck.py,
# with every view's families and a few known values
omcheck() {	# text, then omcheck.py's arguments
	printf '%s\n' "$1" | python3 "$(dirname "$0")/omcheck.py" "${@:2}"
}
metrics=$(ctl show metrics)
check "show metrics parses, with every view's families" omcheck "$metrics" \
    i2prd_router_info i2prd_uptime_seconds i2prd_process_id \
    i2prd_session_table_slots i2prd_sessions_refused i2prd_netdb_routerinfos \
    i2prd_floodfill_lookups i2prd_transit_builds_refused \
    i2prd_tunnel_build_results i2prd_profiles_peers i2prd_sam_enabled
check "show metrics: transit max, floodfill, pools, routerd's pid" \
    omcheck "$metrics" 'i2prd_transit_tunnels_max 2500' \
    'i2prd_floodfill_enabled 0' \
    'i2prd_tunnel_pool_length{pool="exploratory",direction="outbound"} 2' \
    "i2prd_process_id{process=\"routerd\"} $(pid_of routerd)"
check "show metrics: the same with -j" test "$(ctl -j show metrics |
    grep -c '^# TYPE')" = "$(echo "$metrics" | grep -c '^# TYPE')"
# etc/i2prd-metrics.service's command, with this suite's paths: a whole
# i2prd.prom, mode 0644, no temporary file left, even when i2pctl fails
textfile_cmd() {	# socket
	sed -n "s/^ExecStart=\/bin\/sh -c '\(.*\)'\$/\1/p" \
	    "$(dirname "$0")/../../etc/i2prd-metrics.service" |
	    sed -e 's/\$\$/$/g' -e "s|/usr/local/sbin/i2pctl|$build/i2pctl -s $1|" \
	    -e "s|/var/lib/prometheus/node-exporter|$tmp/textfile|"
}
mkdir "$tmp/textfile"
check "the metrics unit's command writes i2prd.prom" sh -c "$(textfile_cmd "$sock")"
check "i2prd.prom parses, mode 0644, alone in its directory" bash -c "
    python3 '$(dirname "$0")/omcheck.py' i2prd_router_info < '$tmp/textfile/i2prd.prom' &&
    test \"\$(stat -c %a '$tmp/textfile/i2prd.prom')\" = 644 &&
    test \"\$(ls '$tmp/textfile')\" = i2prd.prom"
cp "$tmp/textfile/i2prd.prom" "$tmp/prom.before"
check "the metrics unit's command fails with i2prd unreachable" \
    bash -c "! sh -c '$(textfile_cmd "$tmp/nosock")' 2>/dev/null"
check "... and leaves i2prd.prom as it was, no temporary file" bash -c "
    cmp -s '$tmp/prom.before' '$tmp/textfile/i2prd.prom' &&
    test \"\$(ls '$tmp/textfile')\" = i2prd.prom"
check "unknown command lists the valid ones" \
    bash -c "'$build/i2pctl' -s '$sock' frobnicate 2>&1 | grep -q 'valid commands'"

# the SAM bridge in tunneld, over real sockets (tests/system/sam.py)
samout=$(python3 "$(dirname "$0")/sam.py" 127.0.0.1 $samport $((samport - 1)))
samrc=$?
echo "$samout" | sed 's/^/    /'
check "sam: the bridge passes tests/system/sam.py" test $samrc -eq 0
check "sam: tunneld is alive after it" test -n "$(pid_of tunneld)"
check "show sam: the ports and the connections it counted" bash -c \
    "'$build/i2pctl' -s '$sock' show sam | grep -Eq '^Ports +tcp $samport, udp $((samport - 1))\$' &&
    '$build/i2pctl' -s '$sock' -j show sam | python3 -c 'import json, sys
s = json.load(sys.stdin)[\"sam\"]
sys.exit(not (s[\"enabled\"] == 1 and s[\"connections\"] >= 3 and
    s[\"connections_refused\"] >= 8 and
    isinstance(s[\"clients\"], list)))'"
# a client connected across a reload that keeps the listener
exec 5<>/dev/tcp/127.0.0.1/$samport
echo "HELLO VERSION" >&5
read -r -t 5 samhello <&5

# reload with a changed log level and netid; SAM stays
writeconf debug 42 "$samconf"
kill -HUP "$ppid_"
sleep 1
echo "PING kept" >&5
read -r -t 5 samping <&5
check "sam: a client stays connected across a reload (${samhello%$'\r'})" \
    test "$samping" = "PONG kept"
js=$(json_summary)
check "SIGHUP: new netid and log level in force (generation 1)" \
    test "$(echo "$js" | cut -d' ' -f1-3)" = "42 1 debug"
check "SIGHUP: RouterInfo rebuilt with the new netId" bash -c \
    "'$build/i2pctl' -s '$sock' show router | grep -q '^ *netId=42\$'"
check "SIGHUP: the identity stays" test "$(ctl show |
    awk '/^Router hash/ { print $3 }')" = "$hash"
check "SIGHUP: children log at debug level after the reload" \
    grep -q 'routerd: configuration generation 1 in place' "$log"

# a broken config is refused and the suite keeps running
echo "netid 300" >> "$conf"
kill -HUP "$ppid_"
sleep 1
check "SIGHUP with a broken config: refused with a log line" \
    grep -q 'has errors, keeping the running configuration' "$log"
check "SIGHUP with a broken config: error names file and line" \
    grep -q "$conf:11:" "$log"
check "SIGHUP with a broken config: all five processes still run" \
    test "$(children | wc -l)" -eq 4
check "i2pctl reload with a broken config exits non-zero" \
    bash -c "! '$build/i2pctl' -s '$sock' reload"
js=$(json_summary)
check "broken config: the old configuration stays (netid 42, gen 1)" \
    test "$(echo "$js" | cut -d' ' -f1-2)" = "42 1"
writeconf info 43 "destination web outbound length 1 quantity 1"
check "i2pctl reload with a good config succeeds" ctl reload
check "after i2pctl reload: netid 43, generation 2, level info" \
    test "$(json_summary | cut -d' ' -f1-3)" = "43 2 info"
check "sam: a reload without sam listen closes its clients" \
    bash -c "! read -r -t 5 line <&5"
exec 5<&-
check "sam: ... and its listener" \
    bash -c "! exec 6<>/dev/tcp/127.0.0.1/$samport" 2>/dev/null
# a destination added by the reload: its key made, its name kept,
# routerd holding its pools (no peers: none built)
client_dest() {
	ctl -j show tunnels | python3 -c "import json, sys
c = json.load(sys.stdin)['tunnels']['clients']
print(' '.join('%s %s %d %d' % (x['name'], x['destination'],
    x['inbound']['length'], x['outbound']['quantity']) for x in c))"
}
for _ in $(seq 50); do
	[ -n "$(client_dest)" ] && break
	sleep 0.1
done
dest=$(client_dest)
check "reload with a destination: routerd keeps its pools (3 in, 1 out)" \
    bash -c "echo '$dest' | grep -Eq '^web [A-Za-z0-9~-]{43}= 3 1\$'"
check "its key is named in the client directory" \
    grep -Eq '^web [0-9a-f]{8}$' "$state/client/destinations"
check "show metrics: its client pools, labelled with its name" \
    omcheck "$(ctl show metrics)" \
    'i2prd_tunnel_pool_quantity{pool="client",destination="web",direction="outbound"} 1'
check "show tunnels lists its pools" bash -c "ctl() { '$build/i2pctl' -s '$sock' \"\$@\"; }
    ctl show tunnels | grep -q '^Client web (.*) outbound: length 1, quantity 1;'"
check "show destinations: web, configured, with its address" bash -c \
    "'$build/i2pctl' -s '$sock' -j show destinations | python3 -c 'import json, sys
d = json.load(sys.stdin)[\"destinations\"]
sys.exit(not (len(d) == 1 and d[0][\"name\"] == \"web\" and
    d[0][\"kind\"] == \"configured\" and
    d[0][\"address\"].endswith(\".b32.i2p\")))' &&
    '$build/i2pctl' -s '$sock' show destinations | grep -q '^web  *configured '"
check "show sessions: none without traffic" bash -c \
    "'$build/i2pctl' -s '$sock' show sessions | grep -qx 'no ratchet sessions'"
check "i2pctl log verbose" ctl log verbose
check "log verbose: summary shows debug" \
    test "$(json_summary | cut -d' ' -f3)" = debug
check "i2pctl log brief" ctl log brief
check "log brief: back to the configured level" \
    test "$(json_summary | cut -d' ' -f3)" = info

# orderly stop
pids="$ppid_ $(children | tr '\n' ' ')"
kill -TERM "$ppid_"
wait_parent
check "SIGTERM: parent exits 0" test "$rc" -eq 0
check "SIGTERM: no process left" all_gone $pids
check "SIGTERM: control socket removed" test ! -e "$sock"
check "SIGTERM: pid file removed" test ! -e "$pidf"

# the death of one child stops the suite; first, an upgrade: the keys
# of a router made before ntcp2.key existed are router.key alone
rm -f "$state/keys/ntcp2.key"
if ! start; then
	nok "suite starts again"
	cat "$log"
	echo "system: $pass passed, $((fail)) failed"
	exit 1
fi
ok "suite starts again"
for _ in $(seq 50); do
	ctl show router | grep -q '^Router hash' && break
	sleep 0.1
done
check "restart keeps the router identity" test "$(ctl show |
    awk '/^Router hash/ { print $3 }')" = "$hash"
check "upgrade: a new ntcp2.key, 0600, owned by $user" bash -c \
    "test \"\$(stat -c '%a %u' '$state/keys/ntcp2.key')\" = '600 $uid' &&
    grep -q 'created a new NTCP2 static key in ntcp2.key' '$log'"
s_new=$(ri_s)
check "upgrade: RouterInfo signed again with the new s" bash -c \
    "test -n '$s_new' -a '$s_new' != '$s_first' &&
    '$build/i2pctl' -s '$sock' show router | grep -q 'signature valid'"
check "upgrade: the new s is not the identity's X25519 key" \
    test "$s_new" != "$(ident_x25519)"
for _ in $(seq 50); do
	[ -n "$(client_dest)" ] && break
	sleep 0.1
done
check "restart keeps the destination" test "$(client_dest)" = "$dest"
netd=$(pid_of netd)
pids="$ppid_ $(children | tr '\n' ' ')"
kill -KILL "$netd"
wait_parent
check "a killed child stops the suite with a non-zero exit" test "$rc" -ne 0
check "the log names the dead child" \
    grep -q "netd (pid $netd) terminated by signal 9" "$log"
check "after a child's death: no process left" all_gone $pids
check "after a child's death: control socket and pid file removed" \
    test ! -e "$sock" -a ! -e "$pidf"
ppid_=

# development mode: started by an ordinary user, no chroot and no user
# change, seccomp still on.  Programs are copied so that the user can
# reach them wherever the tree is.
dev=$tmp/dev
mkdir -p "$dev/bin"
cp "$build"/i2prd "$build"/i2prd-* "$build"/i2pctl "$dev/bin/"
chown -R nobody "$dev"
cat > "$dev/i2prd.conf" <<CONF
statedir "$dev/state"
socket "$dev/i2prd.sock"
pidfile "$dev/i2prd.pid"
netid 77
CONF
chown nobody "$dev/i2prd.conf"
: > "$log"
chmod 0666 "$log"
runuser -u nobody -- env I2PRD_LIBEXEC="$dev/bin" "$dev/bin/i2prd" -d \
    -f "$dev/i2prd.conf" >>"$log" 2>&1 &
ppid_=$!
for _ in $(seq 100); do
	[ -s "$dev/i2prd.pid" ] && break
	sleep 0.1
done
dev_child_ok() {	# name
	local pid
	pid=$(pgrep -P "$(cat "$dev/i2prd.pid")" -x "i2prd-$1") || return 1
	[ "$(readlink "/proc/$pid/root")" = / ] &&
	    [ "$(stat -c %U "/proc/$pid")" = nobody ] &&
	    grep -q '^Seccomp:[[:space:]]*2$' "/proc/$pid/status"
}
check "development mode: suite starts as nobody" test -s "$dev/i2prd.pid"
for p in netd cryptod routerd tunneld; do
	check "development mode: $p runs as nobody, not chrooted, seccomp" \
	    dev_child_ok $p
done
check "development mode: a warning is logged" \
    grep -q 'development mode' "$log"
check "development mode: i2pctl answers (netid 77)" bash -c \
    "'$build/i2pctl' -s '$dev/i2prd.sock' show | grep -Eq '^Network ID +77\$'"
pids="$(cat "$dev/i2prd.pid") $(pgrep -P "$(cat "$dev/i2prd.pid")" | tr '\n' ' ')"
kill -TERM "$(cat "$dev/i2prd.pid")"
wait_parent
check "development mode: SIGTERM stops it with exit 0" test "$rc" -eq 0
check "development mode: no process left" all_gone $pids
ppid_=

if [ "$fail" -ne 0 ]; then
	echo "--- i2prd log:"; cat "$log"
fi
echo "system: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
