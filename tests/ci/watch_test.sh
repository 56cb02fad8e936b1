#!/usr/bin/env bash
# `ipclab grade --watch` on a copy of the skeleton with two tests selected
# (empty-script passes, one-command fails): after the first grading, the
# reference's sources are copied in; the watcher grades again by itself,
# one-command (which failed) first, then the rest, and now passes both.
# Waits on the watcher's output, never with a sleep.
#
#   tests/ci/watch_test.sh SOURCE_DIR IPCLAB
set -uo pipefail
src=$1 ipclab=$2
work=$(mktemp -d /tmp/ipclab-watch-test-XXXXXX)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; cat "$work/out"; exit 1; }
cp -r "$src/skeletons/pipeline" "$work/d"
# The watcher's output comes through a FIFO, read line by line with a
# timeout on each blocking read (and copied to $work/out).
mkfifo "$work/pipe"
"$ipclab" grade pipeline --submission "$work/d" --watch --jobs 1 \
  --only empty-script --only one-command >"$work/pipe" 2>&1 &
pid=$!
exec 3<"$work/pipe"
seen=0
# Returns once the watcher has printed its Nth "Watching" line.
watching() {  # N
  local line
  while IFS= read -r -t 60 line <&3; do
    printf '%s\n' "$line" >>"$work/out"
    if [[ $line == Watching* ]] && ((++seen == $1)); then return 0; fi
  done
  return 1
}
watching 1 || fail "no first grading"
grep -q '^FAIL  *one-command' "$work/out" || fail "the skeleton passed one-command"
cp "$src/reference/pipeline/"*.cpp "$src/reference/pipeline/"*.hpp "$work/d/"
watching 2 || fail "no grading after the change"
after=$(sed -n '/^The tests that failed last time, first:/,$p' "$work/out")
[ -n "$after" ] || fail "no failing-first pass"
first=$(echo "$after" | sed -n '1,/^The rest:/p')
rest=$(echo "$after" | sed -n '/^The rest:/,$p')
echo "$first" | grep -q '^PASS  *one-command' || fail "one-command not rerun first"
echo "$first" | grep -q 'empty-script' && fail "empty-script ran in the first pass"
echo "$rest" | grep -q '^PASS  *empty-script' || fail "empty-script not in the rest"
echo "$rest" | grep -q 'one-command' && fail "one-command ran twice"
echo "watch: graded again on a change, the failed test first"
