#!/usr/bin/env bash
# Makes the zip to upload as a Gradescope programming assignment's
# autograder ("Zip file upload", Ubuntu or Debian base image):
#
#   ci/gradescope/make-zip.sh LAB OUT.zip [HIDDEN_TESTS.yaml]
#
# The zip holds the files git tracks in this checkout, as they are on disk
# (uncommitted edits included, so what is tested is what is shipped), with
# setup.sh and run_autograder at its root as Gradescope requires, and the
# file ipclab-lab naming LAB. HIDDEN_TESTS.yaml, an instructor's test
# overlay (docs/instructors.md), goes in as ipclab-hidden-tests.yaml:
# run_autograder grades with it, and Gradescope shows each test as its
# visibility allows. (The zip is the instructor's; students never get it.)
set -euo pipefail
if [ $# -ne 2 ] && [ $# -ne 3 ]; then
  echo "usage: ci/gradescope/make-zip.sh LAB OUT.zip [HIDDEN_TESTS.yaml]" >&2
  exit 2
fi
overlay=${3-}
if [ -n "$overlay" ] && [ ! -f "$overlay" ]; then
  echo "make-zip.sh: no such overlay: $overlay" >&2
  exit 2
fi
lab=$1
out=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -f "$root/labs/$lab/lab.yaml" ]; then
  echo "make-zip.sh: no lab '$lab' in $root/labs" >&2
  exit 2
fi
work=$(mktemp -d /tmp/ipclab-zip-XXXXXX)
trap 'rm -rf "$work"' EXIT
(cd "$root" && git ls-files -z | xargs -0 -I{} sh -c '[ ! -e "$1" ] || echo "$1"' _ {} |
  tar -c -T - -f -) | tar -x -C "$work"
cp "$root/ci/gradescope/setup.sh" "$root/ci/gradescope/run_autograder" "$work/"
echo "$lab" >"$work/ipclab-lab"
[ -z "$overlay" ] || cp "$overlay" "$work/ipclab-hidden-tests.yaml"
rm -f "$out"
(cd "$work" && zip -qr "$out" .)
echo "Wrote $out (lab $lab): upload it as the autograder."
