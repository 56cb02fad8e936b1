#!/usr/bin/env bash
# Grades each real POSIX shell in tests/pipeline/shells/ as psh, N times in a
# row (default 20) under stress-ng (scripts/check-stable.sh), and prints the
# figure per shell. Every POSIX shell is a correct student: exits 0 only if
# every run of every shell scored full marks.
#
#   scripts/check-shells.sh [N] [SHELL...]     (default: all six)
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
shift || true
shells=("$@")
[ ${#shells[@]} -eq 0 ] && shells=(dash posh mksh yash busybox bash)

failed=0
summary=""
for shell in "${shells[@]}"; do
  wrapper=tests/pipeline/shells/$shell
  [ -x "$wrapper" ] || { echo "no wrapper $wrapper" >&2; exit 2; }
  line=$(scripts/check-stable.sh pipeline "$runs" "$wrapper" | tee /dev/stderr |
         tail -n 1)
  [[ "$line" == "full marks: $runs/$runs "* ]] || failed=1
  summary+="$shell: $line"$'\n'
done
printf '%s' "$summary"
exit $failed
