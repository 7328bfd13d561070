# Sourced by etc/testnet.sh and tests/interop/lib.sh (bash).
#
# i2pd_write_conf DIR ADDRESS FLOODFILL LOGLEVEL [extra [reseed] lines...]
#
# An i2pd for a private test network in a namespace (TESTNET.md): its
# own 198.18.0.x address, netid 99, NTCP2 only, nothing else listening,
# reseeding pointed at a closed loopback port so it fails at once.
i2pd_write_conf() {
	local d=$1 addr=$2 ff=$3 level=$4
	shift 4
	cat > "$d/i2pd.conf" <<CONF
log = file
logfile = $d/i2pd.log
loglevel = $level
host = $addr
address4 = $addr
port = 20000
ipv4 = true
ipv6 = false
nat = false
netid = 99
reservedrange = false
floodfill = $ff
[ntcp2]
enabled = true
published = true
[ssu2]
enabled = false
[reseed]
verify = false
urls = https://127.0.0.1:1/
$(printf '%s\n' "$@")
[nettime]
enabled = false
[http]
enabled = false
[httpproxy]
enabled = false
[socksproxy]
enabled = false
[sam]
enabled = false
[bob]
enabled = false
[i2cp]
enabled = false
[i2pcontrol]
enabled = false
[upnp]
enabled = false
[addressbook]
enabled = true
defaulturl = http://nonexistent.i2p/hosts.txt
subscriptions = http://nonexistent.i2p/hosts.txt
CONF
}
