#!/bin/sh
# make run: build tree, local state under ./run, foreground, stderr logs.
# As root it creates the _i2prd user if missing, so the children chroot
# and drop privileges as in production; as another user it runs in
# development mode (no chroot, no user change, seccomp still on).
set -e
build=${1:-build}
top=$(pwd)
run=$top/run
mkdir -p "$run"
chmod 0755 "$run"
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
