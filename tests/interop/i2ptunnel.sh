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
# - A's site is an HTTP server tunnel: its server sees X-I2P-DestB32
#   and no forged one, and the response loses Server and X-Powered-By;
# - B's HTTP proxy: curl -x fetches by .b32.i2p and by a name in B's
#   address book, the identifying headers go, error pages (unknown
#   name with jump links, not I2P, malformed) say what happened, and
#   the address helper adds a name only through its confirmation page
#   with the right nonce; a second request on one connection to the
#   proxy (keep-alive); i2pd's HTTP proxy fetches from our site;
# - B's address book subscribes to a feed on i2pd 4's eepsite, fetched
#   through B's HTTP proxy: names applied, a second fetch answered 304,
#   a signed changedest applied and a badly signed one refused;
# - an outproxy: a forward HTTP proxy (fwdproxy.py) behind A's server
#   tunnel on i2p port 3128; B's HTTP proxy and SOCKS proxy with
#   "outproxy" reach a "clearnet" site by its address through it (GET,
#   CONNECT, SOCKS 5), pass its failures on, and i2pd's HTTP proxy with
#   our outproxy destination as its outproxy does too;
# - a UDP client tunnel to a UDP server tunnel echoes datagrams;
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
nsx python3 "$here/httpsite.py" $me 8080 "$tmp/www" > "$tmp/http-a.log" 2>&1 &
nsx python3 -m http.server --bind 198.18.0.4 --directory "$tmp/www" 8081 \
    > "$tmp/http-4.log" 2>&1 &
# a "clearnet" site (no tunnel in front) and the outproxy, on A's address
nsx python3 "$here/httpsite.py" $me 8090 "$tmp/www" > "$tmp/http-c.log" 2>&1 &
nsx python3 "$here/fwdproxy.py" $me 3128 > "$tmp/fwdproxy.log" 2>&1 &
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
# a UDP echo on A's address
nsx python3 -c "import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('$me', 9000))
while True:
    d, a = s.recvfrom(65536)
    s.sendto(d, a)" > /dev/null 2>&1 &
# i2pd 4's HTTP proxy, to fetch from our HTTP server tunnel
sed -i '/^\[httpproxy\]/{n;s/.*/enabled = true\naddress = 198.18.0.4\nport = 4444\ninbound.length = 1\noutbound.length = 1/}' \
    "$tmp/i2pd4/i2pd.conf"

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
	    "$dest_a {" "	http server to $me port 8080 $*" \
	    "	server to $me port 3128 i2p port 3128" \
	    "	udp server to $me port 9000" "}" \
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
	http proxy listen on 198.18.0.11 port 4444
	http proxy listen on 198.18.0.11 port 4445 outproxy $site port 3128
	socks proxy listen on 198.18.0.11 port 4448 outproxy $site port 3128
	udp client listen on 198.18.0.11 port 9001 to $site port 9000
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

# the HTTP server tunnel: what our site's server saw, what came back
nsx curl -s -D "$tmp/hdr.txt" -o "$tmp/seen.txt" --max-time 60 \
    -H "X-I2P-DestB32: forged.b32.i2p" http://198.18.0.11:7070/headers
browse=$(b32_of ctl2 browse)
check "HTTP server tunnel: the server sees X-I2P-DestB32 of the client" \
    grep -qx "X-I2P-DestB32: $browse" "$tmp/seen.txt"
check "... and not the one the client forged" \
    eval '! grep -q forged "$tmp/seen.txt"'
check "... nor Server and X-Powered-By in the response" \
    eval '! grep -qiE "^(server|x-powered-by):" "$tmp/hdr.txt"'

# B's HTTP proxy
proxy=198.18.0.11:4444
fetch "http://$site/index.html" "$tmp/proxy.html" -x $proxy
check "curl -x through B's HTTP proxy to site by its .b32.i2p name" \
    cmp -s "$tmp/proxy.html" "$tmp/www/index.html"
fetch "http://$site/big.bin" "$tmp/proxy.bin" -x $proxy
check "... 2 MB byte-exact" cmp -s "$tmp/proxy.bin" "$tmp/www/big.bin"
fetch "http://$site/headers" "$tmp/seen2.txt" -x $proxy \
    -A "secret-agent/1.0" -H "X-Forwarded-For: 192.0.2.1" \
    -H "Referer: http://elsewhere.i2p/" -H "Via: 1.1 somewhere"
check "the proxy replaces User-Agent, drops X-Forwarded-For, Via, a foreign Referer" \
    eval 'grep -q "^User-Agent: MYOB/6.66 (AN/ON)" "$tmp/seen2.txt" &&
    ! grep -qiE "secret-agent|^x-forwarded-for:|^via:|^referer:" "$tmp/seen2.txt"'
site_b64=$(nsx python3 "$here/samclient.py" lookup --sam 198.18.0.11:7656 \
    "$site" 2>/dev/null)
ctl2 addressbook add site.i2p "$site_b64" > /dev/null
fetch "http://site.i2p/index.html" "$tmp/named.html" -x $proxy
check "the proxy reaches site.i2p by the name in B's address book" \
    cmp -s "$tmp/named.html" "$tmp/www/index.html"
nsx curl -sv --max-time 60 -x $proxy -o "$tmp/ka1.html" -o "$tmp/ka2.html" \
    "http://$site/index.html" http://site.i2p/index.html 2> "$tmp/ka.log"
check "keep-alive: curl's second request reuses its connection to the proxy" \
    eval 'cmp -s "$tmp/ka1.html" "$tmp/www/index.html" &&
    cmp -s "$tmp/ka2.html" "$tmp/www/index.html" &&
    grep -qi "re-using existing connection" "$tmp/ka.log"'
status() {	# URL [curl options]: the proxy's status
	local url=$1
	shift
	nsx curl -s -o "$tmp/status.html" -w '%{http_code}' --max-time 60 \
	    -x $proxy "$@" "$url"
}
check "an unknown name: 404 with jump links" \
    eval 'test "$(status http://nosuch.i2p/)" = 404 &&
    grep -q "stats.i2p" "$tmp/status.html"'
check "a host that is not I2P, no outproxy: 503" \
    test "$(status http://example.com/)" = 503
check "a malformed request: 400" \
    test "$(status "http://$site/" -H "Bad Header: x")" = 400
# the address helper: a page to confirm, the name only after it
code=$(status "http://helper.i2p/index.html?i2paddresshelper=$site_b64")
confirm=$(python3 -c "import re, sys, urllib.parse
page = open(sys.argv[1]).read()
f = dict(re.findall(r'name=\"(\w+)\" value=\"([^\"]*)\"', page))
f = {k: v.replace('&amp;', '&') for k, v in f.items()}
print('http://proxy.i2p/add?' + urllib.parse.urlencode(f))" "$tmp/status.html")
check "address helper: a confirmation page ($code), the name not added yet" \
    eval 'test "$code" = 200 && grep -q nonce "$tmp/status.html" &&
    ! ctl2 addressbook lookup helper.i2p > /dev/null 2>&1'
forged=$(echo "$confirm" | sed 's/nonce=[0-9a-f]*/nonce=00000000deadbeef/')
check "address helper: a confirm without the right nonce is refused (403)" \
    eval 'test "$(status "$forged")" = 403 &&
    ! ctl2 addressbook lookup helper.i2p > /dev/null 2>&1'
check "address helper: the confirm adds the name and redirects (302)" \
    eval 'test "$(status "$confirm")" = 302 &&
    ctl2 addressbook lookup helper.i2p > /dev/null'
fetch "http://helper.i2p/index.html" "$tmp/helper.html" -x $proxy
check "... and the name works" cmp -s "$tmp/helper.html" "$tmp/www/index.html"

# UDP: B's client tunnel to A's server tunnel, to a UDP echo
nsx python3 -c "import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('198.18.0.11', 0))
s.settimeout(2)
got = 0
for i in range(40):
    s.sendto(b'dgram %d' % i + bytes(500), ('198.18.0.11', 9001))
    try:
        while True:
            d, _ = s.recvfrom(65536)
            got += d.startswith(b'dgram ')
    except socket.timeout:
        pass
    if got >= 10:
        break
print(got)" > "$tmp/udp.txt" 2>&1
check "UDP client tunnel to UDP server tunnel: datagrams echoed ($(cat "$tmp/udp.txt"))" \
    test "$(cat "$tmp/udp.txt")" -ge 10

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

# the outproxy: B's proxies with one reach the clearnet site through it
clear=http://$me:8090/index.html
outproxy=198.18.0.11:4445
fetch "$clear" "$tmp/op.html" -x $outproxy
check "HTTP proxy with an outproxy: a host outside I2P (GET)" \
    cmp -s "$tmp/op.html" "$tmp/www/index.html"
fetch "$clear" "$tmp/op-connect.html" -p -x $outproxy
check "... through CONNECT (curl -p)" \
    cmp -s "$tmp/op-connect.html" "$tmp/www/index.html"
fetch "$clear" "$tmp/op-socks.html" --socks5-hostname 198.18.0.11:4448
check "SOCKS proxy with an outproxy: a host outside I2P" \
    cmp -s "$tmp/op-socks.html" "$tmp/www/index.html"
# the outproxy would refuse a .b32.i2p host (403): this is I2P's way
fetch "http://$site/index.html" "$tmp/op-i2p.html" -x $outproxy
check "... an .i2p host still goes through I2P, not to the outproxy" \
    cmp -s "$tmp/op-i2p.html" "$tmp/www/index.html"
code=$(nsx curl -s -o /dev/null -w '%{http_code}' --max-time 60 \
    -x $outproxy http://$me:8091/)
check "the outproxy cannot reach the host: its 502 reaches the browser" \
    test "$code" = 502
nsx curl -s -o /dev/null --max-time 60 --socks5-hostname 198.18.0.11:4448 \
    http://$me:8091/ 2> /dev/null
rc=$?
check "... and the SOCKS client a refusal (curl exit $rc)" test "$rc" -eq 97

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

[outproxied]
type = httpproxy
address = 198.18.0.4
port = 4446
keys = to-site.dat
outproxy = http://$site:3128

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
fetch "$clear" "$tmp/i2pd-op.html" -x 198.18.0.4:4446
check "i2pd's HTTP proxy with our outproxy destination as its outproxy" \
    cmp -s "$tmp/i2pd-op.html" "$tmp/www/index.html"
fetch "http://$site/index.html" "$tmp/i2pdproxy.html" -x 198.18.0.4:4444
check "i2pd's HTTP proxy fetches from our HTTP server tunnel" \
    cmp -s "$tmp/i2pdproxy.html" "$tmp/www/index.html"
for _ in 1 2 3 4 5 6; do
	fetch http://198.18.0.11:7072/big.bin "$tmp/big4.out" && break
	sleep 10
done
check "curl through our client tunnel to i2pd's HTTP server tunnel: 2 MB" \
    cmp -s "$tmp/big4.out" "$tmp/www/big.bin"
check "... and B's first tunnel still serves (the reload kept it)" \
    fetch http://198.18.0.11:7070/index.html "$tmp/page-again.html"

# the address book's subscription: a feed on i2pd 4's eepsite, fetched
# by B through its own HTTP proxy, then again (304), then a signed
# changedest that applies and a badly signed one that does not
keys() { "$build/tests/privkey_tool" gen 4; }
read -r k_plain_priv k_plain <<<"$(keys)"
read -r k_old_priv k_old <<<"$(keys)"
read -r k_new_priv k_new <<<"$(keys)"
sign() { "$build/tests/privkey_tool" sign "$1" "$2"; }
b32_of_b64() { python3 -c "import sys, hashlib, base64
d = base64.b64decode(sys.argv[1], b'-~')
print(base64.b32encode(hashlib.sha256(d).digest()).decode().lower().rstrip('=') + '.b32.i2p')" "$1"; }
i2pd_site_b32=$(b32_of_b64 "$i2pd_site_b64")
printf '%s\n' "# a feed" "feed-plain.i2p=$k_plain" "moved.i2p=$k_old" \
    > "$tmp/www/hosts.txt"
# and 1500 more names (800 KB: tunneld applies it in slices)
python3 -c "import os, base64
cert = bytes([5, 0, 4, 0, 7, 0, 0])
for i in range(1500):
    d = os.urandom(384) + cert
    print('bulk%d.i2p=%s' % (i, base64.b64encode(d, b'-~').decode()))" \
    >> "$tmp/www/hosts.txt"
cat >> "$r2/i2prd.conf" <<EOF
addressbook subscribe "http://$i2pd_site_b32/hosts.txt"
addressbook fetch every 60 minutes
addressbook proxy browse
EOF
ctl2 reload > /dev/null
sleep 1
sub_field() {	# a field of the subscription in addressbook show -j
	ctl2 -j addressbook show | python3 -c "import json, sys
s = json.load(sys.stdin)['subscriptions']
print(s[0][sys.argv[1]] if s else '')" "$1"
}
ab_b32() { ctl2 -j addressbook lookup "$1" | python3 -c "import json, sys
d = json.load(sys.stdin)
print(d.get('book', ''), d.get('b32', ''))"; }
sub_wait() {	# fetched time to pass
	for _ in $(seq 120); do
		[ "$(sub_field fetching)" = False ] &&
		    [ "$(sub_field fetched)" -gt "$1" ] && return 0
		sleep 1
	done
	return 1
}
check "addressbook fetch starts the fetch" \
    grep -q '^fetching 1 subscription$' <<<"$(ctl2 addressbook fetch)"
sub_wait 0
check "the feed on i2pd's eepsite is fetched (status $(sub_field status)) and applied" \
    test "$(ab_b32 feed-plain.i2p)" = "subscribed $(b32_of_b64 "$k_plain")"
check "... all 1502 names of its 800 KB ($(sub_field added) added)" \
    test "$(sub_field added)" = 1502
t1=$(sub_field fetched)
sleep 1
ctl2 addressbook fetch > /dev/null
sub_wait "$t1"
check "a second fetch is conditional: 304 ($(sub_field status))" \
    test "$(sub_field status)" = 304
# a changedest signed by the old key and the new one; another, for
# feed-plain.i2p, whose inner signature is not by its old key
cmd="#!action=changedest#date=9#olddest"
osig=$(sign "$k_old_priv" "moved.i2p=$k_new$cmd=$k_old")
sig=$(sign "$k_new_priv" "moved.i2p=$k_new$cmd=$k_old#oldsig=$osig")
bosig=$(sign "$k_new_priv" "feed-plain.i2p=$k_new$cmd=$k_plain")
bsig=$(sign "$k_new_priv" "feed-plain.i2p=$k_new$cmd=$k_plain#oldsig=$bosig")
printf '%s\n' "moved.i2p=$k_new$cmd=$k_old#oldsig=$osig#sig=$sig" \
    "feed-plain.i2p=$k_new$cmd=$k_plain#oldsig=$bosig#sig=$bsig" \
    > "$tmp/www/hosts.txt"
touch -d "@$(($(date +%s) + 5))" "$tmp/www/hosts.txt"
t2=$(sub_field fetched)
sleep 1
ctl2 addressbook fetch > /dev/null
sub_wait "$t2"
check "a validly signed changedest moves the name" \
    test "$(ab_b32 moved.i2p)" = "subscribed $(b32_of_b64 "$k_new")"
check "one signed by the wrong key is refused ($(sub_field refused)), the name stays" \
    test "$(ab_b32 feed-plain.i2p)" = "subscribed $(b32_of_b64 "$k_plain")" -a \
    "$(sub_field refused)" -ge 1
check "show metrics counts the fetches" grep -qx \
    'i2prd_addressbook_fetches_total 3' <<<"$(ctl2 show metrics)"

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
     if x['destination'] == 'site' and x['kind'] == 'http server'][0]
sys.exit(0 if t['refused'] >= 1 and
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
     if x['kind'] == 'socks proxy' and x['local_port'] == 4447]
sys.exit(0 if len(t) == 1 and t[0]['accepted'] >= 3 and
         t[0]['refused'] + t[0]['failed'] >= 1 and
         t[0]['bytes_from_i2p'] > 2000000 else 1)" "$tmp/b.json"
check "show tunnels clients: what B's proxies sent to the outproxy" \
    python3 -c "import json, sys
t = {(x['kind'], x['local_port']): x
     for x in json.load(open(sys.argv[1]))['tunnels']}
h, s = t[('http proxy', 4445)], t[('socks proxy', 4448)]
sys.exit(0 if h['outproxied'] >= 3 and s['outproxied'] >= 2 and
         h['refused'] == 0 and
         h['outproxy'].endswith('.b32.i2p') and
         t[('http proxy', 4444)]['outproxied'] == 0 else 1)" "$tmp/b.json"

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
