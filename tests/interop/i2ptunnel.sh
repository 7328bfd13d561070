#!/bin/bash
# Interop (issue 16): the tunnel lines of i2prd.conf's destination
# blocks, on a network of four i2pd routers (1 and 2 floodfills) and two
# i2prd routers, A at .10 and B at .11.
#
# - A's destination "site" carries a server tunnel to a local HTTP
#   server (python3 -m http.server); B gets, by a reload, a destination
#   "browse" with a client tunnel to site's .b32.i2p address: curl
#   through it fetches a page and a 2 MB file byte-exact;
# - i2pd 4 (tunnels.conf, reloaded with SIGHUP) has a client tunnel to
#   our server and an HTTP server tunnel of its own; curl through its
#   client tunnel reaches our site, and B's second client tunnel (to
#   i2pd's base64 destination) reaches i2pd's site;
# - an allow list that names only B lets B in and keeps i2pd out;
# - B's SOCKS proxy (curl --socks5-hostname, --socks4a) reaches site by
#   its .b32.i2p name and refuses a host that is not I2P;
# - IRC: ngircd behind A's IRC server tunnel (WEBIRC: it sees B's
#   client by its .b32.i2p address), alice straight to ngircd and bob
#   through B's IRC client tunnel talk in a channel; a CTCP VERSION,
#   a DCC offer and bob's own QUIT text are filtered out;
# - show tunnels clients (text and JSON) counts what happened; a
#   reload that removes a client tunnel closes its port and leaves the
#   server serving.
#
#   bash tests/interop/i2ptunnel.sh BUILD_DIR
set -u
build=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
interop_require i2ptunnel

tmp=$(mktemp -d /tmp/i2prd-tun.XXXXXX)
chmod 0755 "$tmp"
ns=i2prd-tun-$$
me=198.18.0.10
n_i2pd=4
r2=$tmp-r2
trap 'testnet_cleanup; rm -rf "$r2"' EXIT
nsx() { ip netns exec "$ns" "$@"; }
ctl() { nsx "$build/i2pctl" -s "$tmp/i2prd.sock" "$@"; }
ctl2() { nsx "$build/i2pctl" -s "$r2/i2prd.sock" "$@"; }
started=$(date +%s)

netns_up "$ns" $(seq 1 $n_i2pd) 10 11
i2pd_identities 2
# i2pd 4 reads its tunnels again on SIGHUP: the file must be there first
: > "$tmp/i2pd4/tunnels.conf"

# the site: a page and a 2 MB file, served by A (.10) and by i2pd 4 (.4)
mkdir -p "$tmp/www"
echo "<html><body>hello from a site behind a tunnel</body></html>" \
    > "$tmp/www/index.html"
head -c 2000000 /dev/urandom > "$tmp/www/big.bin"
nsx python3 -m http.server --bind $me --directory "$tmp/www" 8080 \
    > "$tmp/http-a.log" 2>&1 &
nsx python3 -m http.server --bind 198.18.0.4 --directory "$tmp/www" 8081 \
    > "$tmp/http-4.log" 2>&1 &
# an IRC server on A's address
cat > "$tmp/ngircd.conf" <<EOF
[Global]
	Name = irc.i2ptunnel.test
	Info = behind an i2prd IRC server tunnel
	Listen = $me
	Ports = 6667
	PidFile = $tmp/ngircd.pid
	MotdPhrase = hello
[Options]
	# WEBIRC: with DNS on, the host name given is the one shown
	DNS = yes
	Ident = no
	PAM = no
	WebircPassword = webirc-secret
EOF
nsx ngircd -n -f "$tmp/ngircd.conf" > "$tmp/ngircd.log" 2>&1 &

dest_a="destination site inbound length 1 quantity 2 outbound length 1 quantity 2"
mkdir -p "$tmp/state/router/netDb"
for i in $(seq 1 $n_i2pd); do
	netdb_seed "$tmp/state/router/netDb" "$tmp/i2pd$i/router.info"
done
chown -R _i2prd "$tmp/state/router"
a_conf() {	# [extra server options]
	i2prd_write_conf "$tmp" "$me" "log level debug" \
	    "exploratory inbound length 1 quantity 2" \
	    "exploratory outbound length 1 quantity 2" \
	    "$dest_a {" "	server to $me port 8080 $*" "}" \
	    "destination chat inbound length 1 quantity 2 outbound length 1 quantity 2 {" \
	    "	irc server to $me port 6667 webirc password webirc-secret" "}"
}
a_conf
i2prd_run
i2prd_suite "$r2" 198.18.0.11
i2pd_know_each_other
for i in $(seq 1 $n_i2pd); do
	netdb_seed "$tmp/i2pd$i/netDb" "$tmp/state/router/router.info"
	netdb_seed "$tmp/i2pd$i/netDb" "$r2/state/router/router.info"
	i2pd_start "$i"
done

# a destination's .b32.i2p address from show destinations
b32_of() {	# ctl-function name
	$1 -j show destinations | python3 -c "import json, sys
for d in json.load(sys.stdin)['destinations']:
    if d['name'] == sys.argv[1] and d['address']:
        print(d['address'])" "$2"
}
ls_up() {	# ctl-function name: its LeaseSet is made
	$1 -j show destinations | python3 -c "import json, sys
ok = [d for d in json.load(sys.stdin)['destinations']
      if d['name'] == sys.argv[1] and d['leases'] > 0]
sys.exit(0 if ok else 1)" "$2"
}
for _ in $(seq 150); do
	site=$(b32_of ctl site)
	chat=$(b32_of ctl chat)
	[ -n "$site" ] && [ -n "$chat" ] && ls_up ctl site && ls_up ctl chat &&
	    break
	sleep 1
done
check "A's destinations site and chat are up" test -n "$site" -a -n "$chat"
echo "    site: $site"
echo "    chat: $chat"

# B: a destination with a client tunnel to site, an IRC client tunnel
# to chat and a SOCKS proxy, added by a reload
cat >> "$r2/i2prd.conf" <<EOF
destination browse inbound length 1 quantity 2 outbound length 1 quantity 2 {
	client listen on 198.18.0.11 port 7070 to $site port 80
	irc client listen on 198.18.0.11 port 6668 to $chat port 6667
	socks proxy listen on 198.18.0.11 port 4447
}
EOF
ctl2 reload > /dev/null
for _ in $(seq 30); do
	nsx bash -c "exec 3<>/dev/tcp/198.18.0.11/7070" 2>/dev/null && break
	sleep 0.5
done
check "reload: B's client tunnel listens" \
    nsx bash -c "exec 3<>/dev/tcp/198.18.0.11/7070"
for _ in $(seq 120); do
	ls_up ctl2 browse && break
	sleep 1
done

fetch() {	# URL OUT [curl options]: 0 if it came whole
	local url=$1 out=$2
	shift 2
	nsx curl -s -o "$out" --max-time 120 "$@" "$url"
}
# the first request may wait for the LeaseSet lookup and the tunnels
for _ in 1 2 3; do
	fetch http://198.18.0.11:7070/index.html "$tmp/page.html" && break
	sleep 5
done
check "curl through B's client tunnel to A's server tunnel: the page" \
    cmp -s "$tmp/page.html" "$tmp/www/index.html"
t0=$(date +%s.%N)
fetch http://198.18.0.11:7070/big.bin "$tmp/big.out"
t1=$(date +%s.%N)
check "... and 2 MB byte-exact" cmp -s "$tmp/big.out" "$tmp/www/big.bin"
echo "    2 MB in $(python3 -c "print('%.2f' % ($t1 - $t0))") s"

# SOCKS: curl asks for the host by name, 5 and 4a
fetch "http://$site/index.html" "$tmp/socks5.html" \
    --socks5-hostname 198.18.0.11:4447
check "curl --socks5-hostname through B's SOCKS proxy to site" \
    cmp -s "$tmp/socks5.html" "$tmp/www/index.html"
fetch "http://$site/big.bin" "$tmp/socks4a.bin" --socks4a 198.18.0.11:4447
check "curl --socks4a through B's SOCKS proxy: 2 MB byte-exact" \
    cmp -s "$tmp/socks4a.bin" "$tmp/www/big.bin"
nsx curl -s -o /dev/null --max-time 20 --socks5-hostname 198.18.0.11:4447 \
    http://example.com/ 2> /dev/null
rc=$?
check "the SOCKS proxy refuses a host that is not I2P (curl exit $rc)" \
    test "$rc" -eq 97

# IRC: alice at ngircd itself, bob through the tunnels
nsx python3 "$here/ircchat.py" $me:6667 198.18.0.11:6668 150 \
    > "$tmp/irc.json" 2>&1
echo "    irc: $(cat "$tmp/irc.json")"
irc() { python3 -c "import json, sys
v = json.load(open(sys.argv[1])).get(sys.argv[2])
sys.exit(0 if v == json.loads(sys.argv[3]) else 1)" "$tmp/irc.json" "$1" "$2"; }
check "IRC: bob, through the tunnels, is welcomed and joins" \
    irc bob_joined true
check "IRC: messages both ways in the channel" \
    eval 'irc alice_got_bob true && irc bob_got_alice true'
check "IRC: WEBIRC: ngircd sees bob as his .b32.i2p address" \
    python3 -c "import json, sys
b = json.load(open(sys.argv[1])).get('bob_host') or ''
sys.exit(0 if b.endswith('.b32.i2p') else 1)" "$tmp/irc.json"
check "IRC: bob's CTCP VERSION is filtered out, what follows is not" \
    eval 'irc alice_got_ctcp false && irc alice_got_after_ctcp true'
check "IRC: a DCC offer and a CTCP request to bob are filtered out" \
    eval 'irc bob_got_dcc false && irc bob_got_ctcp false &&
    irc bob_got_after_dcc true'
check "IRC: bob's own QUIT text does not leak" \
    eval 'irc quit_seen true && irc quit_leaks false'

# i2pd 4: a client tunnel to our site, an HTTP server tunnel of its own
cat > "$tmp/i2pd4/tunnels.conf" <<EOF
[to-site]
type = client
address = 198.18.0.4
port = 7071
destination = $site
destinationport = 80
keys = to-site.dat
inbound.length = 1
outbound.length = 1

[its-site]
type = http
host = 198.18.0.4
port = 8081
inport = 80
keys = its-site.dat
inbound.length = 1
outbound.length = 1
EOF
kill -HUP "$(cat "$tmp/i2pd4/i2pd.pid")"
for _ in $(seq 50); do
	[ -s "$tmp/i2pd4/its-site.dat" ] && break
	sleep 0.2
done
i2pd_site_b64=$(python3 -c "import sys
from base64 import b64encode
d = open(sys.argv[1], 'rb').read()
n = 387 + int.from_bytes(d[385:387], 'big')
print(b64encode(d[:n], b'-~').decode())" "$tmp/i2pd4/its-site.dat" 2>/dev/null)
check "i2pd 4 made its tunnels' keys" test -n "$i2pd_site_b64"
# B's second tunnel: to i2pd's site by its full base64 destination
sed -i "/port 7070/a\\	client listen on 198.18.0.11 port 7072 to \"$i2pd_site_b64\" port 80" \
    "$r2/i2prd.conf"
ctl2 reload > /dev/null
sleep 20	# i2pd publishes its new destinations' LeaseSets
for _ in 1 2 3 4 5 6; do
	fetch http://198.18.0.4:7071/index.html "$tmp/page4.html" && break
	sleep 10
done
check "curl through i2pd's client tunnel to our server tunnel" \
    cmp -s "$tmp/page4.html" "$tmp/www/index.html"
for _ in 1 2 3 4 5 6; do
	fetch http://198.18.0.11:7072/big.bin "$tmp/big4.out" && break
	sleep 10
done
check "curl through our client tunnel to i2pd's HTTP server tunnel: 2 MB" \
    cmp -s "$tmp/big4.out" "$tmp/www/big.bin"
check "... and B's first tunnel still serves (the reload kept it)" \
    fetch http://198.18.0.11:7070/index.html "$tmp/page-again.html"

# an allow list naming only B's browse: B in, i2pd 4 refused
browse=$(b32_of ctl2 browse)
a_conf "allow { $browse }"
ctl reload > /dev/null
sleep 1
rm -f "$tmp/page5.html" "$tmp/page6.html"
fetch http://198.18.0.11:7070/index.html "$tmp/page5.html"
check "allow list: B's destination gets in" \
    cmp -s "$tmp/page5.html" "$tmp/www/index.html"
fetch http://198.18.0.4:7071/index.html "$tmp/page6.html"
check "allow list: i2pd's destination does not" \
    test ! -s "$tmp/page6.html"

ctl show tunnels clients
ctl2 show tunnels clients
ctl -j show tunnels clients > "$tmp/a.json"
ctl2 -j show tunnels clients > "$tmp/b.json"
# the allow list made it a new line: its counts start from the reload
check "show tunnels clients: A's server took B, refused i2pd" \
    python3 -c "import json, sys
t = [x for x in json.load(open(sys.argv[1]))['tunnels']
     if x['destination'] == 'site'][0]
sys.exit(0 if t['kind'] == 'server' and t['refused'] >= 1 and
         t['accepted'] >= 1 and t['bytes_to_i2p'] > 0 and t['up']
         else 1)" "$tmp/a.json"
check "show tunnels clients: B's two clients, 4 MB from I2P" \
    python3 -c "import json, sys
t = [x for x in json.load(open(sys.argv[1]))['tunnels']
     if x['kind'] == 'client']
sys.exit(0 if len(t) == 2 and
         sum(x['bytes_from_i2p'] for x in t) > 4000000 else 1)" "$tmp/b.json"
check "show tunnels clients: B's SOCKS proxy, 2 MB from I2P" \
    python3 -c "import json, sys
t = [x for x in json.load(open(sys.argv[1]))['tunnels']
     if x['kind'] == 'socks proxy']
sys.exit(0 if len(t) == 1 and t[0]['accepted'] >= 3 and
         t[0]['refused'] + t[0]['failed'] >= 1 and
         t[0]['bytes_from_i2p'] > 2000000 else 1)" "$tmp/b.json"

# a reload without B's first tunnel: its port closes
sed -i '/port 7070/d' "$r2/i2prd.conf"
ctl2 reload > /dev/null
sleep 1
check "reload: a removed tunnel's port is closed" \
    test "$(nsx bash -c 'exec 3<>/dev/tcp/198.18.0.11/7070' 2>/dev/null; echo $?)" -ne 0
check "the suites are still running" suite_up "$tmp"
check "the second suite is still running" suite_up "$r2"
echo "    time: $(($(date +%s) - started)) s"
echo "i2ptunnel: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
