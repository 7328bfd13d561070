#!/bin/bash
# SSU2 against live routers, i2pd 2.45.1 next to i2prd, on the same
# machine and the same load (tests/bench/ssu2_load.c), as ntcp2_net.sh
# does for NTCP2:
#   - full handshakes per second (Token Request, Retry, Session Request,
#     Created, Confirmed, the router's first Data packet) from W driver
#     processes, each a router of its own on an address of its own, and
#     the latency of one handshake;
#   - data-phase throughput into the router: Data packets of one
#     TunnelData message each, which it decrypts, parses and drops
#     (unknown tunnels), in bursts that wait for its ACK;
#   - the router's CPU time per handshake and per GB, read from /proc
#     (all i2prd processes summed), and its memory (PSS) afterwards.
# Prints the medians of RUNS runs side by side.  A benchmark, not a test:
# it asserts nothing.
#
#   bash tests/bench/ssu2_net.sh [BUILD_DIR] [RUNS] [HS_SECONDS] ["WORKERS..."] [MBYTES]
#
# Both routers run in a network namespace of their own (loopback only,
# 198.18.0.0/24 as TESTNET.md explains); nothing leaves it.  As root.
set -u
build=$(cd "${1:-build}" && pwd)
runs=${2:-5}
secs=${3:-10}
workers=${4:-4 16}
mbytes=${5:-500}
here=$(cd "$(dirname "$0")/../interop" && pwd)
. "$here/lib.sh"
. "$(dirname "$0")/lib.sh"
load=$build/tests/ssu2_load

bench_setup ssu2_net "$load"

# routers at .1 and .2, the drivers from .10 up
maxw=$(echo $workers | tr ' ' '\n' | sort -n | tail -1)
netns_up "$ns" 1 2 $(seq 10 $((10 + maxw)))

bench_ssu2=yes
bench_routers

transport_bench SSU2
