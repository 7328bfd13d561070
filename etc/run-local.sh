#!/bin/sh
# make run: build tree, local state under ./run, foreground, stderr logs.
# As root it creates the _i2prd user if missing, so the children chroot
# and drop privileges as in production; as another user it runs in
# development mode (no chroot, no user change, seccomp still on).
#
# With no real network to reach (no default route, or one through a
# documentation address as on test machines; I2PRD_NETWORK=private or
# public decides instead), as root it starts a private I2P network of
# its own (etc/testnet.sh: three i2prd routers, and four i2pd routers
# when i2pd is installed) under ./run/testnet, and stops it on ^C.
set -e
build=${1:-build}
top=$(pwd)
run=$top/run
mkdir -p "$run"
chmod 0755 "$run"

# decided from the routing table alone: nothing is sent anywhere
real_network() {
	case ${I2PRD_NETWORK:-} in
	private) return 1 ;;
	public) return 0 ;;
	esac
	gw=$(ip -4 route show default 2>/dev/null | awk '{ print $3; exit }')
	case $gw in
	""|192.0.2.*|198.51.100.*|203.0.113.*) return 1 ;;
	esac
	return 0
}

if [ "$(id -u)" -eq 0 ] && ! real_network; then
	echo "i2prd: no real network to reach: a private network of its own"
	trap 'bash "$top/etc/testnet.sh" stop -d "$run/testnet"' EXIT
	trap 'exit 0' INT TERM
	bash "$top/etc/testnet.sh" start -b "$build" -d "$run/testnet"
	echo "i2prd: ^C stops the network; etc/testnet.sh status -d run/testnet shows it"
	tail -F "$run/testnet/i2prd1/i2prd.log"
	exit 0
fi
if [ ! -f "$run/i2prd.conf" ]; then
	cat > "$run/i2prd.conf" <<CONF
# local first-try configuration written by "make run"; edit freely
statedir "$run/state"
socket "$run/i2prd.sock"
pidfile "$run/i2prd.pid"
netid 99
log level info
CONF
	chmod 0644 "$run/i2prd.conf"
fi
if [ "$(id -u)" -eq 0 ] && ! getent passwd _i2prd >/dev/null; then
	useradd --system --no-create-home --home-dir /nonexistent \
	    --shell /usr/sbin/nologin _i2prd
fi
echo "i2prd: config $run/i2prd.conf; control: $build/i2pctl -s $run/i2prd.sock show summary"
I2PRD_LIBEXEC=$top/$build exec "$top/$build/i2prd" -d -f "$run/i2prd.conf"
