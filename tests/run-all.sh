#!/bin/sh
# make check: unit tests, sandbox tests, man pages, the example
# configuration, and the whole-suite system test (as root).
build=${1:-build}
total_pass=0; total_fail=0
step() {	# name, command...
	name=$1; shift
	echo "=== $name"
	if "$@"; then
		total_pass=$((total_pass + 1))
	else
		echo "FAILED: $name"
		total_fail=$((total_fail + 1))
	fi
}
example() {
	I2PRD_LIBEXEC=$build "$build/i2prd" -n -f etc/i2prd.conf >/dev/null
}
manlint() {
	out=$(mandoc -Tlint -Wwarning man/*.[58] 2>&1)
	[ -z "$out" ] || { echo "$out"; return 1; }
}
step "unit tests" sh tests/run-unit.sh "$build" $(ls "$build"/tests/test_* | grep -v '\.o$')
step "sandbox tests" sh tests/sandbox/run.sh "$build"
step "man pages (mandoc -Tlint)" manlint
step "example configuration" example
if [ "$(id -u)" -eq 0 ]; then
	step "system test" sh tests/system/run.sh "$build"
else
	echo "=== system test skipped: needs root (chroot, user change)"
fi
echo "check: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
