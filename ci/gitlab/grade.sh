#!/usr/bin/env bash
# The GitLab job's step (ci/gitlab/.gitlab-ci.yml):
#
#   ci/gitlab/grade.sh LAB SUBMISSION_DIR
#
# Grades with ci/autograde.sh into $IPCLAB_RESULTS (default ipclab-results),
# then writes $IPCLAB_RESULTS/score.env (the job's dotenv report) from
# results.json and prints "ipclab score: P%" as the log's last line, for the
# job's `coverage:` regex. Exits with the grader's code (0, 1 or 2).
#
# No injection: the score is read from results.json, never from the log,
# and the report escapes control characters (ESC, CR) in student output and
# indents it, so a student's program can neither forge the score line nor
# open or close GitLab's collapsible log sections.
set -uo pipefail
if [ $# -ne 2 ]; then
  echo "usage: ci/gitlab/grade.sh LAB SUBMISSION_DIR" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
results=${IPCLAB_RESULTS:-ipclab-results}
mkdir -p "$results" && results=$(cd "$results" && pwd)
IPCLAB_RESULTS=$results "$here/../autograde.sh" "$1" "$2"
rc=$?
if ! "$here/../score.py" env "$results/results.json" >"$results/score.env"; then
  echo "ipclab: no score: $results/results.json is missing or malformed" >&2
  [ $rc -eq 0 ] && rc=2
  exit $rc
fi
echo "ipclab score: $("$here/../score.py" percent "$results/results.json")%"
exit $rc
