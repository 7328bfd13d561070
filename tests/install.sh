#!/bin/sh
# make install DESTDIR=... produces the documented tree (README, Install).
set -u
build=${1:-build}
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
pass=0; fail=0
make -s BUILD="$build" install DESTDIR="$dest" PREFIX=/usr/local >/dev/null ||
    { echo "install: 0 passed, 1 failed"; exit 1; }
for f in usr/local/sbin/i2prd usr/local/sbin/i2pctl \
    usr/local/libexec/i2prd/i2prd-netd usr/local/libexec/i2prd/i2prd-cryptod \
    usr/local/libexec/i2prd/i2prd-routerd usr/local/libexec/i2prd/i2prd-tunneld \
    etc/i2prd.conf usr/local/share/man/man5/i2prd.conf.5 \
    usr/local/share/man/man8/i2prd.8 usr/local/share/man/man8/i2pctl.8; do
	if [ -f "$dest/$f" ]; then
		echo "ok - /$f"; pass=$((pass + 1))
	else
		echo "not ok - /$f missing"; fail=$((fail + 1))
	fi
done
# the reseed signers' certificates, as shipped in etc/reseed
certs=$(ls etc/reseed/*.crt | wc -l)
inst=$(ls "$dest"/etc/i2prd/reseed/*.crt 2>/dev/null | wc -l)
if [ "$certs" -gt 0 ] && [ "$inst" -eq "$certs" ]; then
	echo "ok - /etc/i2prd/reseed: $inst certificates"; pass=$((pass + 1))
else
	echo "not ok - /etc/i2prd/reseed: $inst of $certs certificates"
	fail=$((fail + 1))
fi
extra=$(cd "$dest" && find . -type f | wc -l)
if [ "$extra" -eq $((10 + certs)) ]; then
	echo "ok - nothing else installed"; pass=$((pass + 1))
else
	echo "not ok - $extra files installed, expected $((10 + certs))"
	fail=$((fail + 1))
fi
echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
