#!/bin/bash
# The address book in a running suite, one router in a namespace with
# loopback only (no peer needed): names added and removed with i2pctl,
# the books in the order local, private, subscribed, SAM's NAMING
# LOOKUP answered from them, the counts in show metrics, and everything
# still there after a restart (tunneld chrooted in <state>/client,
# sandboxed, writing its books there).
#
#   bash tests/interop/addrbook.sh BUILD_DIR
build=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
i2prd_require addrbook

tmp=$(mktemp -d /tmp/i2prd-addrbook.XXXXXX)
chmod 0755 "$tmp"
ns=i2prd-addrbook-$$
trap testnet_cleanup EXIT
netns_up "$ns" 2 || { echo "addrbook: no namespace"; exit 1; }
ctl() { ip netns exec "$ns" "$build/i2pctl" -s "$tmp/i2prd.sock" "$@"; }
sam() { ip netns exec "$ns" python3 "$here/samtalk.py" 7656 "$@"; }
hello="HELLO VERSION MIN=3.1 MAX=3.1"
fails() { ! "$@" 2>/dev/null; }
# the book addressbook lookup names, "" if none
book_of() { ctl addressbook lookup "$1" 2>/dev/null | awk '/^book:/ { print $2 }'; }

i2prd_write_conf "$tmp" 198.18.0.2 "sam listen on 127.0.0.1 port 7656"
start() {
	i2prd_run
	for _ in $(seq 100); do
		ctl show sam >/dev/null 2>&1 && break
		sleep 0.1
	done
}
stop() {
	i2prd_stop
	wait
}
start

# two Destinations from the SAM bridge
d1=$(sam 10 "$hello" "DEST GENERATE SIGNATURE_TYPE=7" |
    sed -n 's/.* PUB=\([^ ]*\).*/\1/p')
d2=$(sam 10 "$hello" "DEST GENERATE SIGNATURE_TYPE=7" |
    sed -n 's/.* PUB=\([^ ]*\).*/\1/p')
check "two destinations generated" test ${#d1} -ge 516 -a ${#d2} -ge 516

check "add to the local book" ctl addressbook add Site.i2p "$d1"
check "the same name in the private book" \
    ctl addressbook add site.i2p "$d2" private
check "a second local add with another destination is refused" \
    fails ctl addressbook add site.i2p "$d2"
check "a reserved name is refused" fails ctl addressbook add proxy.i2p "$d1"
check "a base32 name is refused" fails ctl addressbook add b32.i2p "$d1"
check "lookup: the local book first" test "$(book_of SITE.I2P)" = local
out=$(sam 10 "$hello" "NAMING LOOKUP NAME=site.i2p")
check "SAM NAMING LOOKUP answers from the book" \
    grep -q "RESULT=OK NAME=site.i2p VALUE=$d1\$" <<<"$out"
out=$(sam 10 "$hello" "NAMING LOOKUP NAME=nope.i2p")
check "SAM NAMING LOOKUP of an unknown name" \
    grep -q "RESULT=KEY_NOT_FOUND NAME=nope.i2p" <<<"$out"
check "show metrics counts the books" grep -qx \
    'i2prd_addressbook_names{book="private"} 1' <<<"$(ctl show metrics)"
check "the books are files in tunneld's directory" \
    test -s "$tmp/state/client/local.txt" -a -s "$tmp/state/client/private.txt"

# a restart loses nothing
stop
start
books=$(ctl -j addressbook show | python3 -c 'import json, sys
print(json.load(sys.stdin)["books"])')
check "after a restart the names are there" \
    test "$books" = "{'local': 1, 'private': 1, 'subscribed': 0}"
check "del from the local book" ctl addressbook del site.i2p
check "lookup: then the private book" test "$(book_of site.i2p)" = private
out=$(sam 10 "$hello" "NAMING LOOKUP NAME=site.i2p")
check "SAM follows" grep -q "VALUE=$d2\$" <<<"$out"
check "tunneld still runs (no sandbox kill)" suite_up "$tmp"
stop

echo "addrbook: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
