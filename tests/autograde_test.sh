#!/usr/bin/env bash
# ci/autograde.sh as a CI job runs it: grades the pipeline reference
# (exit 0, both result files written and non-empty), then a directory that
# does not exist (exit 2, and no grading).
#
#   tests/autograde_test.sh SOURCE_DIR
set -uo pipefail
src=$1
work=$(mktemp -d /tmp/ipclab-autograde-test-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
IPCLAB_RESULTS="$work/results" "$src/ci/autograde.sh" pipeline \
  "$src/reference/pipeline" >"$work/out.txt" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
  echo "FAIL: autograde.sh on the reference exited $rc:"; cat "$work/out.txt"
  exit 1
fi
for f in junit.xml results.json; do
  if [ ! -s "$work/results/$f" ]; then
    echo "FAIL: $f was not written"; exit 1
  fi
done
"$src/ci/autograde.sh" pipeline "$work/no-such-dir" >"$work/bad.txt" 2>&1
rc=$?
if [ $rc -ne 2 ] || ! grep -q "no such directory" "$work/bad.txt"; then
  echo "FAIL: a missing directory gave exit $rc:"; cat "$work/bad.txt"
  exit 1
fi
echo "autograde.sh: reference graded (exit 0, both files), missing dir exit 2"
