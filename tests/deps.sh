#!/bin/sh
# Installs the Debian packages needed to build, run and test i2prd
# (clang and its libFuzzer runtime for the fuzz targets).
#
# i2pd is the independent implementation the interop tests run against,
# always inside a network namespace of their own.  Its package would
# start a router on the real network at install time: a policy-rc.d
# that forbids service starts is kept in place while installing.
set -e
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
policy=/usr/sbin/policy-rc.d
added_policy=
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
	$SUDO chmod 0755 "$policy"
	added_policy=1
fi
$SUDO apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	build-essential pkg-config bison \
	libssl-dev libevent-dev libseccomp-dev zlib1g-dev libbsd-dev check \
	mandoc python3 passwd procps iproute2 nftables i2pd python3-libtorrent \
	clang libclang-rt-14-dev curl ngircd chromium
# the package enables its service for the next boot: not on a test box
if command -v systemctl >/dev/null; then
	$SUDO systemctl disable i2pd ngircd >/dev/null 2>&1 || true
fi
[ -z "$added_policy" ] || $SUDO rm -f "$policy"
# the npm SAM clients the interop tests run against our bridge
if ! command -v npm >/dev/null; then
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y \
	    --no-install-recommends nodejs npm
fi
npm ci --prefix "$(dirname "$0")/interop/npm" --no-audit --no-fund
