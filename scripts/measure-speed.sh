#!/usr/bin/env bash
# Prints the two speed figures the project tracks:
#   1. the worst wall time of grading any mutant, example or skeleton of
#      every lab (builds included), one grading at a time, as the mutant
#      suite grades them (run_mutant.py: --jobs 2; racy mutants with
#      --repeat 5 --only-listed, and one ccache directory shared by the
#      whole run, as ctest's gradings share build/submission-ccache),
#      target under 30 s on the 2-core machine;
#   2. the wall time of the whole ./test.sh, target under 6 minutes.
#
#   scripts/measure-speed.sh [--no-test-sh] [--labs "pipeline echo ..."]
#
# Needs a built tree (scripts/build.sh); figure 2 runs ./test.sh itself, so
# measure on an otherwise idle machine. Each grading's time is printed as it
# finishes, then the worst.
set -uo pipefail
cd "$(dirname "$0")/.."
labs="pipeline echo threadpool"
run_test_sh=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-test-sh) run_test_sh=0 ;;
    --labs) labs=$2; shift ;;
    *) echo "usage: $0 [--no-test-sh] [--labs \"LAB ...\"]" >&2; exit 2 ;;
  esac
  shift
done

worst=0
worst_name=none
cache=$(mktemp -d /tmp/ipclab-speed-cache-XXXXXX)
trap 'rm -rf "$cache"' EXIT
record() {  # NAME SECONDS
  printf '%-50s %6.1f s\n' "$1" "$2"
  if awk -v a="$2" -v b="$worst" 'BEGIN { exit !(a > b) }'; then
    worst=$2
    worst_name=$1
  fi
}

# run_mutant.py prints "(grader exit N, S s, score ...)" with --show.
grade_mutant() {  # LAB NAME [MUTANTS_DIR REPEAT LABEL]
  local args=(--lab "$1" --ipclab build/bin/ipclab --source-dir . --name "$2"
              --build-cache "$cache" --show)
  # Racy mutants: --repeat, and only their listed ids, as ctest grades them.
  [[ $# -ge 4 ]] && args+=(--mutants-dir "$3" --repeat "$4" --only-listed)
  local line
  line=$(/usr/bin/python3 tests/mutants/run_mutant.py "${args[@]}" 2>&1 |
         grep -o 'grader exit [0-9]*, [0-9.]* s' | head -1)
  if [[ -z "$line" ]]; then
    echo "$1/$2: the grading failed to run; see run_mutant.py" >&2
    return
  fi
  record "$1 mutant ${5:-$2}" "$(echo "$line" | awk '{ print $4 }')"
}

grade_example() {  # LAB
  local start end
  start=$(date +%s.%N)
  build/bin/ipclab grade "$1" --submission "examples/submission/$1" \
    --jobs 2 --build-cache "$cache" >/dev/null 2>&1
  end=$(date +%s.%N)
  record "$1 example" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')"
}

for lab in $labs; do
  grade_example "$lab"
  grade_mutant "$lab" skeleton
  grade_mutant "$lab" reference
  for patch in tests/"$lab"/mutants/*.patch; do
    grade_mutant "$lab" "$(basename "$patch" .patch)"
  done
  for patch in tests/"$lab"/mutants/racy/*.patch; do
    [[ -e "$patch" ]] || continue
    name=$(basename "$patch" .patch)
    grade_mutant "$lab" "$name" "tests/$lab/mutants/racy" 5 "racy/$name"
  done
done
printf '\nworst grading time: %.1f s (%s); target: under 30 s\n' \
  "$worst" "$worst_name"

if [[ $run_test_sh -eq 1 ]]; then
  start=$(date +%s)
  ./test.sh >/tmp/measure-speed-test-sh.log 2>&1
  rc=$?
  end=$(date +%s)
  printf './test.sh time: %d min %02d s (exit %d, log in %s); target: under 6 min\n' \
    $(((end - start) / 60)) $(((end - start) % 60)) "$rc" \
    /tmp/measure-speed-test-sh.log
fi
