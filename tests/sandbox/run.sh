#!/bin/sh
# Sandbox test: loads each child's seccomp filter in forked processes and
# checks allowed and forbidden calls.  usage: sh tests/sandbox/run.sh BUILD
BUILD=${1:-build}
exec "$BUILD/tests/sandbox_test"
