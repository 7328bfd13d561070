#!/bin/sh
# make check: unit tests, sandbox tests, man pages, the example
# configuration, the installed tree, and as root the whole-suite system
# test and the interop tests against i2pd.  Each step
# that counts its tests ends with "NAME: N passed, N failed"; the last
# line here adds them up (a step without counts counts as one test).
#
# Each step's whole output goes to BUILD/check/NN.log; what is printed
# is the step's header, its counts line, and all of its output only if
# it failed (CHECK_VERBOSE=1: always).  The log CI keeps is then a list
# of steps and counts ending in the sum, with no line that a reader of
# other test runners' output (TAP's "ok -", Check's "Checks:") could
# take for a runner of its own.
build=${1:-build}
total_pass=0; total_fail=0; nstep=0
logs=$build/check
rm -rf "$logs"
mkdir -p "$logs"
step() {	# name, command...
	name=$1; shift
	nstep=$((nstep + 1))
	out=$logs/$(printf %02d "$nstep").log
	echo "[step] $name"
	"$@" >"$out" 2>&1
	rc=$?
	counts=$(sed -n 's/^[a-z0-9_]*: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' \
	    "$out" | tail -1)
	bad=0
	if [ -n "$counts" ]; then
		set -- $counts
		total_pass=$((total_pass + $1)); total_fail=$((total_fail + $2))
		[ "$2" -eq 0 ] || bad=1
		[ "$rc" -eq 0 ] || [ "$2" -ne 0 ] || total_fail=$((total_fail + 1))
	elif [ "$rc" -eq 0 ]; then
		total_pass=$((total_pass + 1))
	else
		total_fail=$((total_fail + 1))
	fi
	[ "$rc" -eq 0 ] || bad=1
	if [ "$bad" -ne 0 ] || [ "${CHECK_VERBOSE:-0}" != 0 ]; then
		cat "$out"
	else
		# what was skipped says why; then the counts
		grep -E ': skipped$|skipped:| not run: ' "$out"
		grep -E '^[a-z0-9_]*: [0-9]* passed, [0-9]* failed$' "$out" | tail -1
	fi
	[ "$bad" -eq 0 ] || echo "FAILED: $name (whole output: $out)"
}
example() {
	I2PRD_LIBEXEC=$build "$build/i2prd" -n -f etc/i2prd.conf >/dev/null
}
manlint() {
	lint=$(mandoc -Tlint -Wwarning man/*.[58] 2>&1)
	[ -z "$lint" ] || { echo "$lint"; return 1; }
}
step "unit tests" sh tests/run-unit.sh "$build" $(ls "$build"/tests/test_*)
step "sandbox tests" sh tests/sandbox/run.sh "$build"
step "cryptod key custody" "$build/tests/cryptod_test" "$build"
step "man pages (mandoc -Tlint)" manlint
step "example configuration" example
step "install tree" sh tests/install.sh "$build"
# every fuzz target a few seconds: they build, and nothing old regressed
fuzzsmoke() {
	make -s fuzz >/dev/null && sh tests/fuzz/run.sh build-fuzz 5
}
if command -v clang >/dev/null; then
	step "fuzz targets, 5 s each" fuzzsmoke
else
	echo "[step] fuzz targets skipped: no clang (make deps installs it)"
fi
if [ "$(id -u)" -eq 0 ]; then
	step "system test" bash tests/system/run.sh "$build"
	step "network of i2prd routers (launcher), hostile tunnel messages" \
	    bash tests/interop/i2prd_net.sh "$build"
	step "the audit's attacks on a live floodfill (hostile peer)" \
	    bash tests/interop/hostile.sh "$build"
	step "a floodfill under lookup load, unroutable RouterInfos held" \
	    bash tests/interop/ff_load.sh "$build"
	step "one host filling the session table (hostile peer)" \
	    bash tests/interop/sessions.sh "$build"
	step "interop: i2pd accepts our RouterInfo" \
	    bash tests/interop/ri_load.sh "$build"
	step "interop: NTCP2 handshakes and frames with i2pd, both roles" \
	    bash tests/interop/ntcp2_core.sh "$build"
	step "interop: NTCP2 sessions with 4 i2pd routers, held 300 s" \
	    bash tests/interop/ntcp2.sh "$build"
	step "interop: SSU2 sessions with 3 i2pd routers (NTCP2 off), hostile datagrams" \
	    bash tests/interop/ssu2.sh "$build"
	step "interop: SSU2 peer test through i2pd Bob and Charlie: reachable, then firewalled" \
	    bash tests/interop/ssu2_ptest.sh "$build"
	step "interop: NTCP2 and SSU2 over IPv6 with 4 IPv6-only i2pd routers, an IPv6-only i2prd" \
	    bash tests/interop/ipv6.sh "$build"
	step "interop: i2prd as a floodfill for 4 i2pd routers" \
	    bash tests/interop/floodfill.sh "$build"
	step "interop: i2pd LeaseSets of types 1 and 5 stored at i2prd, found through it" \
	    bash tests/interop/leasesets.sh "$build"
	step "interop: an i2prd destination's LeaseSet2 at i2pd floodfills, datagrams with i2pd's SAM" \
	    bash tests/interop/destinations.sh "$build"
	step "interop: BitTorrent over I2P: a tracker behind STREAM FORWARD, libtorrent" \
	    bash tests/interop/torrent.sh "$build"
	step "interop: client and server tunnels of i2prd.conf with i2pd's, curl" \
	    bash tests/interop/i2ptunnel.sh "$build"
	step "the address book: i2pctl, SAM NAMING LOOKUP, a restart" \
	    bash tests/interop/addrbook.sh "$build"
	step "interop: SAM private keys, i2prd's in i2pd's SAM and back" \
	    bash tests/interop/samkeys.sh "$build"
	step "interop: i2prd learns and is learnt through i2pd floodfills" \
	    bash tests/interop/explore.sh "$build"
	step "interop: reseeding from a zip of i2pd RouterInfos" \
	    bash tests/interop/reseed.sh "$build"
	step "interop: su3 reseed files: export, import, i2pd, HTTPS" \
	    bash tests/interop/su3.sh "$build"
	step "interop: i2pd builds tunnels through i2prd, every role" \
	    bash tests/interop/transit.sh "$build"
	step "interop: i2prd builds its tunnels through i2pd routers" \
	    bash tests/interop/tunnels.sh "$build"
else
	echo "[step] system and interop tests skipped: need root (chroot, netns)"
fi
echo "check: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
