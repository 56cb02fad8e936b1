#!/usr/bin/env bash
# The student's first ten minutes: `ipclab init pipeline d && make -C d grade`
# grades the skeleton (the build passes, tests fail, exit 1 from ipclab), and
# `make -C d` runs exactly the build line `ipclab list pipeline` prints.
# `ipclab init` refuses a folder that holds work, and an unknown lab.
#
#   tests/ci/init_test.sh IPCLAB
set -uo pipefail
ipclab=$1
work=$(mktemp -d /tmp/ipclab-init-test-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$work"

"$ipclab" init pipeline d >init.txt 2>&1 || { cat init.txt; fail "init exit $?"; }
for f in HANDOUT.md Makefile psh.cpp parse.cpp parse.hpp; do
  [ -s "d/$f" ] || fail "d/$f missing"
done
grep -q '^# Lab: pipeline' d/HANDOUT.md || fail "HANDOUT.md is not the handout"

# `make` types the line `ipclab list` prints, YOUR_FILES being the sources.
line=$("$ipclab" list pipeline | sed -n '/is compiled and linked as/{n;s/^  //;p}')
[ -n "$line" ] || fail "no build line in ipclab list pipeline"
want=${line/YOUR_FILES/$(cd d && ls *.cpp | tr '\n' ' ' | sed 's/ $//')}
made=$(make -C d --no-print-directory 2>&1) || { echo "$made"; fail "make failed"; }
[ "$made" = "$want" ] || fail "make ran '$made', ipclab list prints '$want'"
[ -x d/psh ] || fail "make made no psh"

make -C d --no-print-directory grade >grade.txt 2>&1
rc=$?
grep -q '^PASS  *build' grade.txt || { head -20 grade.txt; fail "build test not passed"; }
grep -q '^Score: [0-9.]*/106$' grade.txt || fail "no score line"
grep -q '^FAIL ' grade.txt || fail "the skeleton failed no test"
[ "$rc" -eq 2 ] || fail "make grade exit $rc (ipclab's 1 makes make exit 2)"

"$ipclab" init pipeline d >again.txt 2>&1 && fail "init overwrote a folder with work"
grep -q "not empty" again.txt || fail "no reason for refusing: $(cat again.txt)"
"$ipclab" init no-such-lab e >bad.txt 2>&1 && fail "init made an unknown lab"
[ -e e ] && fail "init of an unknown lab left a folder"
echo "init: skeleton graded through make grade ($(grep '^Score' grade.txt)), make typed the listed line"
