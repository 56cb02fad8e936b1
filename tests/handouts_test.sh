#!/bin/sh
# The handouts' commands, run as written (issue 14, section 4): for the
# pipeline and echo skeletons, in a fresh copy,
#   - the build line that `ipclab list LAB` tells a student to type;
#   - the skeleton README's CMake build line;
#   - the pipeline skeleton README's "Try it by hand" block;
#   - `ipclab grade LAB --submission .` with build/bin on PATH, as the
#     handouts say (one test, to stay short): it must grade (exit 1 for a
#     skeleton that fails), not fail to start.
# Usage: handouts_test.sh SOURCE_DIR BIN_DIR
set -eu
src=$1
bin=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/ipclab-handouts-XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# The fenced ```sh block after heading "$2" in markdown file "$1".
block() {
  awk -v h="$2" '$0 == h {on = 1; next}
                 on && /^```sh$/ {inside = 1; next}
                 inside && /^```$/ {exit}
                 inside {print}' "$1"
}

for lab in pipeline echo; do
  copy=$work/$lab
  cp -r "$src/skeletons/$lab" "$copy"
  typed=$("$bin/ipclab" list "$lab" |
          awk '/^To build it the same way in your folder, type:$/ {getline; print; exit}')
  [ -n "$typed" ] || fail "ipclab list $lab prints no line to type"
  (cd "$copy" && sh -c "$typed") > "$work/$lab.build" 2>&1 ||
    fail "$lab: the typed build line failed: $typed: $(cat "$work/$lab.build")"
  cmake_line=$(block "$copy/README.md" "## Build" | grep '^cmake' | sed 's/ *#.*//')
  [ -n "$cmake_line" ] || fail "$lab: no cmake line in the skeleton README"
  (cd "$copy" && sh -c "$cmake_line") > "$work/$lab.cmake" 2>&1 ||
    fail "$lab: $cmake_line: $(tail -20 "$work/$lab.cmake")"
  rm -rf "$copy/build"
  grade=$(block "$copy/README.md" "## Check yourself with the grader")
  first=$("$bin/ipclab" list "$lab" | awk 'NR == 2 {print $1}')
  set +e
  (cd "$copy" && PATH="$bin:$PATH" sh -c "$grade --only $first") \
    > "$work/$lab.grade" 2>&1
  code=$?
  set -e
  [ "$code" -eq 1 ] ||
    fail "$lab: '$grade --only $first' exited $code: $(cat "$work/$lab.grade")"
done

# The pipeline skeleton's "Try it by hand": runs, and psh answers.
tryit=$(block "$work/pipeline/README.md" "## Try it by hand")
(cd "$work/pipeline" && sh -c "$tryit") > "$work/try.out" 2> "$work/try.err" ||
  true
grep -q "^status: " "$work/try.out" || fail "Try it by hand printed no status"
if grep -q "not found\|No such file" "$work/try.err"; then
  fail "Try it by hand: $(cat "$work/try.err")"
fi
echo "handouts: every command ran as written"
