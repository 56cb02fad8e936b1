#!/usr/bin/env bash
# Grades each real POSIX shell in tests/pipeline/shells/ as psh, N rounds
# (default 20) under stress-ng on every core, the shells taking turns within
# a round, and prints each grading's score as it ends and the figure per
# shell after every round (so a cut-short run still reports). Every POSIX
# shell is a correct student: exits 0 only if every grading scored full
# marks. (scripts/check-stable.sh pipeline N BINARY does one shell.)
#
#   scripts/check-shells.sh [N] [SHELL...]     (default: all six)
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
shift || true
shells=("$@")
[ ${#shells[@]} -eq 0 ] && shells=(dash posh mksh yash busybox bash)
ipclab=build/bin/ipclab
[ -x "$ipclab" ] || { echo "build first: ./scripts/build.sh" >&2; exit 2; }

stress-ng --cpu "$(nproc)" --timeout 3600s --quiet &
stress=$!
trap 'kill $stress 2>/dev/null; wait $stress 2>/dev/null' EXIT

declare -A full
for shell in "${shells[@]}"; do full[$shell]=0; done
failed=0
for i in $(seq 1 "$runs"); do
  for shell in "${shells[@]}"; do
    out=$("$ipclab" grade pipeline --binary "tests/pipeline/shells/$shell" 2>&1)
    rc=$?
    echo "round $i $shell: $(printf '%s\n' "$out" | tail -n 1) (exit $rc)"
    if [ $rc -eq 0 ]; then
      full[$shell]=$((full[$shell] + 1))
    else
      failed=1
      printf '%s\n' "$out" | grep -v '^PASS' | head -n 60
    fi
  done
  for shell in "${shells[@]}"; do
    echo "  $shell: full marks in ${full[$shell]}/$i gradings"
  done
done
echo "under stress-ng --cpu $(nproc): $(for s in "${shells[@]}"; do printf '%s %s/%s  ' "$s" "${full[$s]}" "$runs"; done)"
exit $failed
