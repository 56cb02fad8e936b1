#!/usr/bin/env bash
# ci/gradescope as Gradescope runs it, in a temporary directory laid out like
# /autograder ($IPCLAB_GRADESCOPE_ROOT): the zip from make-zip.sh unpacked in
# source/, a submission in submission/, then run_autograder. Every
# results.json it writes is validated by ajv-cli against
# ci/gradescope/results.schema.json (Gradescope's specification), which must
# also reject a wrong document:
#   - the reference: full score, Markdown output, tags with lecture topics;
#   - the forger fixture: score 0, still a valid file;
#   - no lab named: the fallback file says the grader could not grade;
#   - an overlay in the zip: its hidden test is graded and kept whole, with
#     its visibility, for Gradescope to apply.
#
#   tests/ci/gradescope_test.sh SOURCE_DIR IPCLAB NPM_BIN
set -uo pipefail
src=$1 ipclab=$2 npm_bin=$3
ajv=$npm_bin/ajv
schema=$src/ci/gradescope/results.schema.json
if [ ! -x "$ajv" ]; then
  echo "FAIL: $ajv (ajv-cli) is missing; scripts/install-deps.sh --with-ci-tools installs it"
  exit 1
fi
work=$(mktemp -d /tmp/ipclab-gradescope-test-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
validate() {  # FILE
  "$ajv" validate -s "$schema" -d "$1" >"$work/ajv.txt" 2>&1 ||
    { cat "$work/ajv.txt"; fail "$1 does not match the schema"; }
}
field() {  # FILE PYTHON-EXPRESSION-ON-d
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}

# The schema is not vacuous: a status Gradescope does not know is rejected.
echo '{"score": 1, "tests": [{"score": 1, "status": "ok"}]}' >"$work/bad.json"
"$ajv" validate -s "$schema" -d "$work/bad.json" >/dev/null 2>&1 &&
  fail "the schema accepts status 'ok'"

"$src/ci/gradescope/make-zip.sh" pipeline "$work/autograder.zip" >/dev/null ||
  fail "make-zip.sh failed"

# Grades SUBMISSION_DIR in a fresh root; prints run_autograder's exit code.
grade() {  # NAME SUBMISSION_DIR [LAB]
  local root=$work/$1
  mkdir -p "$root/source" "$root/submission"
  unzip -q "$work/autograder.zip" -d "$root/source"
  for f in setup.sh run_autograder ipclab-lab; do
    [ -f "$root/source/$f" ] || fail "the zip has no $f at its root"
  done
  [ -n "${3-}" ] && echo "$3" >"$root/source/ipclab-lab"
  cp -r "$2"/. "$root/submission/"
  IPCLAB_GRADESCOPE_ROOT=$root IPCLAB=$ipclab \
    "$root/source/run_autograder" >"$root.log" 2>&1
  echo $?
}

rc=$(grade good "$src/reference/pipeline")
out=$work/good/results/results.json
[ "$rc" -eq 0 ] || { cat "$work/good.log"; fail "reference: exit $rc"; }
validate "$out"
[ "$(field "$out" '"%g %g" % (d["score"], d["max_score"])')" = "106 106" ] ||
  fail "reference: score $(field "$out" '"%g %g" % (d["score"], d["max_score"])')"
[ "$(field "$out" 'd["output_format"], d["test_output_format"]')" = "md md" ] ||
  fail "reference: output formats"
[ "$(field "$out" 'sorted({t for x in d["tests"] for t in x["tags"][1:]})')" = \
  "['EOF', 'SIGPIPE', 'blocking', 'concurrency', 'reaping']" ] ||
  fail "reference: topic tags $(field "$out" '[x["tags"] for x in d["tests"]]')"
[ "$(field "$out" 'd["tests"][1]["tags"][0]')" = psh-script ] ||
  fail "reference: the kind tag"

mkdir -p "$work/forger-src"
cp "$src/tests/ci/fixtures/forger/psh.cpp" "$work/forger-src/"
rc=$(grade forger "$work/forger-src")
out=$work/forger/results/results.json
[ "$rc" -eq 0 ] || { cat "$work/forger.log"; fail "forger: exit $rc"; }
validate "$out"
[ "$(field "$out" '"%g" % d["score"]')" = 0 ] || fail "forger: score $(field "$out" '"%g" % d["score"]')"
# Its failures rerun as the student types them in their own checkout.
grep -q 'ipclab grade pipeline --submission \. --only one-command' "$out" ||
  fail "forger: no rerun line as typed in the student's checkout"

rc=$(grade nolab "$src/reference/pipeline" "no-such-lab")
out=$work/nolab/results/results.json
[ "$rc" -eq 2 ] || fail "unknown lab: exit $rc"
validate "$out"
field "$out" 'd["output"]' | grep -q "could not grade" ||
  fail "unknown lab: fallback output $(cat "$out")"
# Hidden tests: an overlay given to make-zip.sh is graded, and results.json
# (an instructor's, read by Gradescope) has the test whole, with its
# visibility, and keeps the log from students.
cat >"$work/hidden.yaml" <<'YAML'
lab: pipeline
tests:
  - id: hidden-canary
    title: Hidden canary
    kind: psh-script
    visibility: after_published
    script: |
      echo hidden-canary-output
YAML
"$src/ci/gradescope/make-zip.sh" pipeline "$work/autograder.zip" \
  "$work/hidden.yaml" >/dev/null || fail "make-zip.sh with an overlay failed"
rc=$(grade hidden "$work/forger-src")
out=$work/hidden/results/results.json
[ "$rc" -eq 0 ] || { cat "$work/hidden.log"; fail "hidden: exit $rc"; }
validate "$out"
[ "$(field "$out" '[t["visibility"] for t in d["tests"] if t["name"].startswith("hidden-canary")]')" = \
  "['after_published']" ] || fail "hidden: the overlay's test is missing or not after_published"
[ "$(field "$out" 'd["stdout_visibility"]')" = after_published ] ||
  fail "hidden: stdout_visibility $(field "$out" 'd["stdout_visibility"]')"
grep -q 'hidden-canary-output' "$out" ||
  fail "hidden: the instructor's results.json lacks the test's details"
echo "gradescope: reference 106/106, forger 0, unknown lab fallback, hidden overlay; all valid by ajv"
