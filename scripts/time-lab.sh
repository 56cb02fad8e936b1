#!/usr/bin/env bash
# Prints the wall time of grading a lab's reference (builds included), the
# figure the issues' speed targets refer to.
#
#   scripts/time-lab.sh LAB [REPEATS]
set -uo pipefail
cd "$(dirname "$0")/.."
lab=${1:?usage: scripts/time-lab.sh LAB [REPEATS]}
repeats=${2:-3}
for i in $(seq 1 "$repeats"); do
  start=$(date +%s.%N)
  build/bin/ipclab grade "$lab" --submission "reference/$lab" >/dev/null
  rc=$?
  end=$(date +%s.%N)
  printf 'run %d: graded the %s reference in %.2f s wall (exit %d)\n' \
    "$i" "$lab" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" "$rc"
done
