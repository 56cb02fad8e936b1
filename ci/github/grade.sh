#!/usr/bin/env bash
# The GitHub Actions step (ci/github/ipclab.yml):
#
#   ci/github/grade.sh LAB SUBMISSION_DIR
#
# Grades with ci/autograde.sh into $IPCLAB_RESULTS (default ipclab-results),
# then ci/github/report.py writes the annotations, the job summary and the
# step outputs. Exits with the grader's code (0, 1 or 2).
#
# No injection: the grading log, which quotes what the student's program
# printed, runs between `::stop-commands::TOKEN` and `::TOKEN::` with a
# random TOKEN made after the submission was built and never given to it, so
# the runner takes no line of it for a workflow command.
set -uo pipefail
if [ $# -ne 2 ]; then
  echo "usage: ci/github/grade.sh LAB SUBMISSION_DIR" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
results=${IPCLAB_RESULTS:-ipclab-results}
mkdir -p "$results" && results=$(cd "$results" && pwd) || exit 2
token=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
if [ ${#token} -ne 32 ]; then
  echo "ci/github/grade.sh: no random token from /dev/urandom" >&2
  exit 2
fi
echo "::stop-commands::$token"
IPCLAB_RESULTS=$results "$here/../autograde.sh" "$1" "$2" 2>&1
rc=$?
echo "::$token::"
"$here/report.py" "$results" "$2" || { [ $rc -eq 0 ] && rc=2; }
exit $rc
