#!/usr/bin/env bash
# Grades a lab's reference N times (default 20) while the machine is busy
# (stress-ng on every core) and prints how many runs scored full marks.
# Exits 0 only if all did: a correct student must never lose points to load.
# With BINARY, grades that ready executable instead of the reference (e.g. a
# real shell as psh, see scripts/check-shells.sh).
#
#   scripts/check-stable.sh LAB [N] [BINARY]
set -uo pipefail
cd "$(dirname "$0")/.."
lab=${1:?usage: scripts/check-stable.sh LAB [N]}
runs=${2:-20}
binary=${3:-}
if [ -n "$binary" ]; then
  what=(--binary "$binary")
  name=$binary
else
  what=(--submission "reference/$lab")
  name="the $lab reference"
fi
ipclab=build/bin/ipclab
[ -x "$ipclab" ] || { echo "build first: ./scripts/build.sh" >&2; exit 2; }

stress-ng --cpu "$(nproc)" --timeout 3600s --quiet &
stress=$!
trap 'kill $stress 2>/dev/null; wait $stress 2>/dev/null' EXIT

full=0
for i in $(seq 1 "$runs"); do
  out=$("$ipclab" grade "$lab" "${what[@]}" 2>&1)
  rc=$?
  score=$(printf '%s\n' "$out" | tail -n 1)
  if [ $rc -eq 0 ]; then
    full=$((full + 1))
  else
    echo "run $i: $score (exit $rc)"
    printf '%s\n' "$out" | grep -v '^PASS' | head -n 60
  fi
done
echo "full marks: $full/$runs runs of $name under stress-ng --cpu $(nproc)"
[ "$full" -eq "$runs" ]
