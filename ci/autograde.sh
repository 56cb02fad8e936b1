#!/usr/bin/env bash
# What a CI job runs on a pushed submission (arguments in the same order as
# ./grade.sh and `ipclab grade LAB --submission DIR`):
#
#   ci/autograde.sh LAB SUBMISSION_DIR
#
# Builds the grader if needed, grades the submission, writes
#   $IPCLAB_RESULTS (default: ./ipclab-results)/junit.xml
#   $IPCLAB_RESULTS (default: ./ipclab-results)/results.json  (Gradescope)
# prints the report, and exits with the grader's code: 0 all passed,
# 1 some test failed (the student's), 2 grading could not run (ours).
# $IPCLAB names a ready ipclab to use instead of this checkout's
# build/bin/ipclab (an installed one, or another build directory).
# $IPCLAB_TESTS_FROM names an instructor's test overlay to add (hidden
# tests), and $IPCLAB_INSTRUCTOR=1 reports every test whole: set both only
# where students cannot read the results (Gradescope's run_autograder does,
# since Gradescope applies each test's visibility itself). Without
# IPCLAB_INSTRUCTOR the reports leave out every test that is not visible.
set -uo pipefail
if [ $# -ne 2 ]; then
  echo "usage: ci/autograde.sh LAB SUBMISSION_DIR" >&2
  exit 2
fi
lab=$1
submission=$(cd "$2" 2>/dev/null && pwd) || {
  echo "ci/autograde.sh: no such directory: $2" >&2
  exit 2
}
root=$(cd "$(dirname "$0")/.." && pwd)
results=${IPCLAB_RESULTS:-$PWD/ipclab-results}
mkdir -p "$results" && results=$(cd "$results" && pwd) || exit 2

ipclab=${IPCLAB:-$root/build/bin/ipclab}
if [ -n "${IPCLAB:-}" ] && [ ! -x "$IPCLAB" ]; then
  echo "ci/autograde.sh: IPCLAB=$IPCLAB is not an executable" >&2
  exit 2
fi
if [ ! -x "$ipclab" ]; then
  "$root/scripts/install-deps.sh" || exit 2
  "$root/scripts/build.sh" >&2 || exit 2
fi
echo "Results: $results/junit.xml, $results/results.json"
# Graded from inside the submission as `ipclab grade LAB --submission .`,
# with `ipclab` found on PATH, so every rerun line in the reports reads as
# the student types it in their own checkout. (A link in a directory of its
# own: the grader finds its parts from its real location, and nothing else
# of the build lands on PATH.)
link_dir=$(mktemp -d /tmp/ipclab-autograde-XXXXXX) || exit 2
trap 'rm -rf "$link_dir"' EXIT
ln -s "$(cd "$(dirname "$ipclab")" && pwd)/$(basename "$ipclab")" "$link_dir/ipclab"
extra=()
if [ -n "${IPCLAB_TESTS_FROM:-}" ]; then
  overlay=$(cd "$(dirname "$IPCLAB_TESTS_FROM")" 2>/dev/null && pwd)/$(basename "$IPCLAB_TESTS_FROM")
  [ -f "$overlay" ] || {
    echo "ci/autograde.sh: IPCLAB_TESTS_FROM=$IPCLAB_TESTS_FROM is not a file" >&2
    exit 2
  }
  extra+=(--tests-from "$overlay")
fi
[ "${IPCLAB_INSTRUCTOR:-}" = 1 ] && extra+=(--instructor)
cd "$submission" &&
  PATH="$link_dir:$PATH" ipclab grade "$lab" --submission . \
    --junit "$results/junit.xml" --gradescope "$results/results.json" \
    "${extra[@]}"
