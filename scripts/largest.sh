#!/usr/bin/env bash
# Prints the largest functions and files of graders/ (the house rules: no
# function over about 60 lines, no file over about 400). Function extents
# come from universal-ctags (its `end` field).
#
#   scripts/largest.sh [N]    # the N largest of each (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10}
mapfile -t files < <(find graders \( -name '*.cc' -o -name '*.h' \
                     -o -name '*.cpp' -o -name '*.hpp' \) | sort)
echo "Largest functions in graders/ (lines, file:line, name):"
ctags -x --_xformat='%{end} %n %F %N' --kinds-C++=f --fields=+ne \
  --language-force=C++ "${files[@]}" |
  awk '$1 ~ /^[0-9]+$/ { printf "%5d  %s:%d  %s\n", $1 - $2 + 1, $3, $2, $4 }' |
  sort -rn | head -n "$n"
echo
echo "Largest files in graders/ (lines):"
wc -l "${files[@]}" | grep -v ' total$' | sort -rn | head -n "$n"
