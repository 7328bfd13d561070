#!/bin/sh
# Installs the Debian packages needed to build, run and test i2prd.
set -e
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	build-essential pkg-config bison \
	libssl-dev libevent-dev libseccomp-dev zlib1g-dev libbsd-dev check \
	mandoc python3 passwd procps
