#!/usr/bin/env bash
# The main job. Installs what is missing, builds, and grades.
#
#   ./grade.sh                    grade the bundled example submission of
#                                 every lab (examples/submission/LAB)
#   ./grade.sh LAB SUBMISSION     grade one submission directory
#
# Reports: the console, plus JUnit XML and Gradescope JSON under
# build/reports/. Exit code: with arguments, the grader's (0 all passed,
# 1 something failed, 2 grading could not run); without, 0 unless grading
# could not run (the bundled examples have bugs on purpose).
set -uo pipefail
cd "$(dirname "$0")"
./scripts/install-deps.sh || exit 2
./scripts/build.sh || exit 2
mkdir -p build/reports

grade() {
  local lab=$1 submission=$2
  build/bin/ipclab grade "$lab" --submission "$submission" \
    --junit "build/reports/$lab.xml" --gradescope "build/reports/$lab.json"
}

if [ $# -eq 2 ]; then
  grade "$1" "$2"
  exit $?
elif [ $# -ne 0 ]; then
  echo "usage: ./grade.sh [LAB SUBMISSION_DIR]" >&2
  exit 2
fi

worst=0
for example in examples/submission/*/; do
  lab=$(basename "$example")
  [ -f "labs/$lab/lab.yaml" ] || continue
  grade "$lab" "$example"
  rc=$?
  echo
  [ $rc -gt 1 ] && worst=2
done
echo "Reports written to build/reports/."
exit $worst
