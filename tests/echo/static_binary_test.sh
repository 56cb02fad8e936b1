#!/bin/sh
# A statically linked server cannot be reached by LD_PRELOAD, so a test that
# injects short writes or EINTR must say so and fail, never pass silently.
# Usage: static_binary_test.sh IPCLAB SOURCE_DIR
set -eu
ipclab=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
g++ -std=c++20 -O2 -pthread -static "$src"/reference/echo/*.cpp \
  -o "$work/echo-server" 2>/dev/null
status=0
"$ipclab" grade echo --binary "$work/echo-server" --only short-writes \
  >"$work/out" 2>&1 || status=$?
cat "$work/out"
[ "$status" -ne 0 ] || { echo "FAILED: a static binary passed"; exit 1; }
grep -q "statically linked" "$work/out" ||
  { echo "FAILED: no word of static linking"; exit 1; }
echo OK
