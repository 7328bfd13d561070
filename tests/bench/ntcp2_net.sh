#!/bin/bash
# NTCP2 against live routers, i2pd 2.45.1 next to i2prd, on the same
# machine and the same load (tests/bench/ntcp2_load.c):
#   - full handshakes per second from W driver processes, each a router
#     of its own, and the latency of one handshake: with few drivers the
#     rate follows latency, with many the router's CPU is the limit;
#   - data-phase throughput into the router: 16 KiB frames of TunnelData
#     messages it decrypts, parses and drops (unknown tunnels);
#   - the router's CPU time per handshake and per GB, read from /proc
#     (all i2prd processes summed), and its memory (PSS) afterwards.
# Prints the medians of RUNS runs side by side.  A benchmark, not a test:
# it asserts nothing.
#
#   bash tests/bench/ntcp2_net.sh [BUILD_DIR] [RUNS] [HS_SECONDS] ["WORKERS..."] [MBYTES]
#
# Both routers run in a network namespace of their own (loopback only,
# 198.18.0.0/24 as TESTNET.md explains); nothing leaves it.  As root.
set -u
build=$(cd "${1:-build}" && pwd)
runs=${2:-5}
secs=${3:-10}
workers=${4:-4 16}
mbytes=${5:-1000}
here=$(cd "$(dirname "$0")/../interop" && pwd)
. "$here/lib.sh"
. "$(dirname "$0")/lib.sh"
load=$build/tests/ntcp2_load

bench_setup ntcp2_net "$load"

# routers at .1 and .2, the drivers from .10 up
maxw=$(echo $workers | tr ' ' '\n' | sort -n | tail -1)
netns_up "$ns" 1 2 $(seq 10 $((10 + maxw)))

bench_routers

transport_bench NTCP2
