#!/usr/bin/env bash
# Prints the throughput of `ipclab batch`: submissions graded per minute at
# --jobs 1 and at --jobs 2, and the scaling ratio between the two.
#
#   scripts/measure-batch.sh [LAB] [N]     (default: pipeline 12)
#
# The N synthetic submissions mix the lab's example, its skeleton and its
# mutants (tests/LAB/mutants/*.patch applied to the reference), in turn, as
# a class mixes finished, unfinished and buggy work. Each run starts from an
# empty output folder and an empty build cache, so nothing is reused. Needs
# a built tree (scripts/build.sh); measure on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
lab=${1:-pipeline}
n=${2:-12}
ipclab=$PWD/build/bin/ipclab
[[ -x $ipclab ]] || { echo "build first: scripts/build.sh" >&2; exit 2; }

work=$(mktemp -d /tmp/ipclab-batch-speed-XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/subs"
mutants=(tests/"$lab"/mutants/*.patch)
for ((i = 0; i < n; i++)); do
  dir=$work/subs/s$(printf '%03d' "$i")
  case $((i % 3)) in
    0) cp -r examples/submission/"$lab" "$dir" ;;
    1) cp -r skeletons/"$lab" "$dir" ;;
    2) cp -r reference/"$lab" "$dir"
       patch -p1 --quiet --batch -d "$dir" \
         < "${mutants[$(( (i / 3) % ${#mutants[@]} ))]}" ;;
  esac
done

declare -A rate
for jobs in 1 2; do
  rm -rf "$work/out" "$work/cache"
  start=$(date +%s.%N)
  "$ipclab" batch "$lab" "$work/subs" --out "$work/out" --jobs "$jobs" \
    --build-cache "$work/cache" > "$work/log-$jobs.txt"
  end=$(date +%s.%N)
  rate[$jobs]=$(awk -v n="$n" -v s="$start" -v e="$end" \
    'BEGIN { printf "%.2f", n / ((e - s) / 60) }')
  printf '%s, %d submissions, --jobs %d: %s submissions/min (%.1f s)\n' \
    "$lab" "$n" "$jobs" "${rate[$jobs]}" "$(awk -v s="$start" -v e="$end" \
    'BEGIN { print e - s }')"
done
awk -v a="${rate[1]}" -v b="${rate[2]}" \
  'BEGIN { printf "scaling ratio (--jobs 2 / --jobs 1): %.2f\n", b / a }'
