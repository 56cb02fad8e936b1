#!/usr/bin/env bash
# ci/gitlab/.gitlab-ci.yml run end to end by gitlab-ci-local (shell
# executor), as GitLab would run it on a student's push:
#   - the reference as the submission: the job passes, coverage 100%;
#   - a hostile submission (fixtures/forger) that prints a forged
#     "ipclab score: 100.00%" line and GitLab section markers: the job
#     fails, the score line GitLab takes (the last match of the template's
#     coverage regex) is the real one, and no ESC reaches the log.
# Both: junit.xml, results.json and score.env exist as job artifacts.
#
#   tests/ci/gitlab_test.sh SOURCE_DIR IPCLAB NPM_BIN
set -uo pipefail
src=$1 ipclab=$2 npm_bin=$3
glci=$npm_bin/gitlab-ci-local
if [ ! -x "$glci" ]; then
  echo "FAIL: $glci is missing; scripts/install-deps.sh --with-ci-tools installs it"
  exit 1
fi
work=$(mktemp -d /tmp/ipclab-gitlab-test-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# A student's repository: the submission's files at the root, the template
# beside them, committed (gitlab-ci-local runs what git tracks). The one
# change: no `image:` line, so the job runs in this shell instead of Docker.
make_repo() {  # DIR SUBMISSION_DIR
  mkdir -p "$1" && cp -r "$2"/. "$1"/
  grep -v '^  image: debian:12$' "$src/ci/gitlab/.gitlab-ci.yml" \
    >"$1/.gitlab-ci.yml"
  [ "$(wc -l <"$1/.gitlab-ci.yml")" -eq \
    $(($(wc -l <"$src/ci/gitlab/.gitlab-ci.yml") - 1)) ] ||
    fail "the template's image line was not found"
  git -C "$1" init -q && git -C "$1" add -A &&
    git -C "$1" -c user.name=t -c user.email=t@t commit -qm submission
}

# Runs the job; prints gitlab-ci-local's exit code.
run_job() {  # DIR
  (cd "$1" && "$glci" --shell-executor-no-image \
    --variable "IPCLAB_DIR=$src" --variable "IPCLAB=$ipclab" \
    --variable "IPCLAB_LAB=pipeline" >"$1.out" 2>&1)
  echo $?
}

# The template's coverage regex, applied as GitLab does: to each line of
# the log, the last match wins (Python's re reads the RE2 syntax it uses).
coverage() {  # LOG
  python3 - "$src/ci/gitlab/.gitlab-ci.yml" "$1" <<'PY'
import re, sys
spec = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"^  coverage: '/(.*)/'$", spec, re.M)
if not m:
    sys.exit("no coverage regex in the template")
rx = re.compile(m.group(1))
found = ""
for line in open(sys.argv[2], encoding="utf-8", errors="replace"):
    hit = rx.search(line.rstrip("\n"))
    if hit:
        found = hit.group(1)
print(found)
PY
}

check_artifacts() {  # DIR
  local a=$1/.gitlab-ci-local/artifacts/ipclab/ipclab-results f
  for f in junit.xml results.json score.env; do
    [ -s "$a/$f" ] || fail "artifact $f missing in $a"
  done
  grep -qx 'IPCLAB_MAX_SCORE=106' "$a/score.env" ||
    fail "score.env: $(cat "$a/score.env")"
  xmllint --noout "$a/junit.xml" || fail "junit.xml is not well-formed XML"
}

make_repo "$work/good" "$src/reference/pipeline"
rc=$(run_job "$work/good")
log=$work/good/.gitlab-ci-local/output/ipclab.log
[ "$rc" -eq 0 ] || { cat "$work/good.out"; fail "reference: job exit $rc"; }
grep -q 'PASS.*ipclab' "$work/good.out" || fail "reference: job not PASS"
[ "$(coverage "$log")" = "100.00" ] || fail "reference: coverage $(coverage "$log")"
check_artifacts "$work/good"
grep -qx 'IPCLAB_SCORE=106' "$work/good/.gitlab-ci-local/artifacts/ipclab/ipclab-results/score.env" ||
  fail "reference: score.env has not 106"

mkdir -p "$work/forger-src"
g++ -std=c++20 -o /dev/null "$src/tests/ci/fixtures/forger/psh.cpp" ||
  fail "the forger fixture does not compile"
cp "$src/tests/ci/fixtures/forger/psh.cpp" "$work/forger-src/"
make_repo "$work/forger" "$work/forger-src"
rc=$(run_job "$work/forger")
log=$work/forger/.gitlab-ci-local/output/ipclab.log
[ "$rc" -ne 0 ] || fail "forger: the job passed"
grep -q 'FAIL.*ipclab' "$work/forger.out" || fail "forger: job not FAIL"
grep -q '    ipclab score: 100.00%' "$log" ||
  fail "forger: its forged score line is not in the log (the test proves nothing)"
cov=$(coverage "$log")
[ -n "$cov" ] && [ "$cov" != "100.00" ] || fail "forger: coverage '$cov'"
grep -q $'\e' "$log" && fail "forger: an ESC from student output reached the log"
check_artifacts "$work/forger"
grep -qx 'IPCLAB_SCORE=0' "$work/forger/.gitlab-ci-local/artifacts/ipclab/ipclab-results/score.env" ||
  fail "forger: score.env is not 0"
echo "gitlab: reference job PASS (coverage 100.00), forger job FAIL (coverage $cov), artifacts present"
