#!/usr/bin/env bash
# ci/github/ipclab.yml: action-validator accepts it (and rejects a broken
# copy), then its Grade step's `run` runs as the runner would, in a workspace
# holding the submission with the grader in .ipclab, GITHUB_STEP_SUMMARY and
# GITHUB_OUTPUT pointing at temporary files:
#   - the reference: exit 0, no annotation, score 106;
#   - the forger fixture, which prints ::error, ::set-output, ::add-mask and
#     ::stop-commands lines: exit 1; its lines appear only between our
#     ::stop-commands::TOKEN and ::TOKEN:: lines; outside them only our
#     ::error annotations (1 to 10, each with file= and line=, none with a
#     word of the student's); the summary (at most 1 MiB) has the score, the
#     table and the first failure, and no line that reads as a command; the
#     outputs are only ours, and `result` is GitHub Classroom's v1 result.
#
#   tests/ci/github_test.sh SOURCE_DIR IPCLAB NPM_BIN
set -uo pipefail
src=$1 ipclab=$2 npm_bin=$3
workflow=$src/ci/github/ipclab.yml
validator=$npm_bin/action-validator
if [ ! -x "$validator" ]; then
  echo "FAIL: $validator (@action-validator/cli) is missing; scripts/install-deps.sh --with-ci-tools installs it"
  exit 1
fi
work=$(mktemp -d /tmp/ipclab-github-test-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
py() { PYTHONIOENCODING=utf-8 /usr/bin/python3 "$@"; }

"$validator" "$workflow" >"$work/valid.txt" 2>&1 ||
  { cat "$work/valid.txt"; fail "action-validator rejects the workflow"; }
sed 's/runs-on:/runs_on:/' "$workflow" >"$work/broken.yml"
"$validator" "$work/broken.yml" >/dev/null 2>&1 &&
  fail "action-validator accepts a workflow without runs-on (proves nothing)"

# The Grade step's command and the workflow's env, from the YAML itself.
py - "$workflow" >"$work/step.sh" <<'PY' || fail "no Grade step in the workflow"
import shlex, sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
steps = [s for s in doc["jobs"]["grade"]["steps"] if s.get("id") == "grade"]
for k, v in doc["env"].items():
    print(f"export {k}={shlex.quote(str(v))}")
print(steps[0]["run"])
PY

run_step() {  # NAME SUBMISSION_DIR
  local ws=$work/$1
  mkdir -p "$ws" && cp -r "$2"/. "$ws"/ && ln -s "$src" "$ws/.ipclab"
  : >"$ws.summary" && : >"$ws.output"
  (cd "$ws" && IPCLAB=$ipclab GITHUB_ACTIONS=true \
    GITHUB_STEP_SUMMARY=$ws.summary GITHUB_OUTPUT=$ws.output \
    bash -e "$work/step.sh" >"$ws.log" 2>&1)
  echo $?
}

rc=$(run_step good "$src/reference/pipeline")
[ "$rc" -eq 0 ] || { tail -20 "$work/good.log"; fail "reference: exit $rc"; }
grep -q '^::error' "$work/good.log" && fail "reference: an annotation"
grep -qx 'score=106' "$work/good.output" || fail "reference: $(cat "$work/good.output")"

mkdir -p "$work/forger-src"
cp "$src/tests/ci/fixtures/forger/psh.cpp" "$work/forger-src/"
rc=$(run_step forger "$work/forger-src")
[ "$rc" -eq 1 ] || { tail -20 "$work/forger.log"; fail "forger: exit $rc"; }
py - "$work/forger.log" "$work/forger.summary" "$work/forger.output" <<'PY'
import base64, json, re, sys
log = open(sys.argv[1], encoding="utf-8", errors="replace").read().splitlines()
def fail(why):
    sys.exit("FAIL: forger: " + why)
stops = [i for i, l in enumerate(log) if l.startswith("::stop-commands::")]
if len(stops) != 1:
    fail(f"{len(stops)} ::stop-commands lines of ours (want 1)")
token = log[stops[0]][len("::stop-commands::"):]
if not re.fullmatch(r"[0-9a-f]{32}", token):
    fail(f"token {token!r} is not 32 random hex digits")
resumes = [i for i, l in enumerate(log) if l == f"::{token}::"]
if len(resumes) != 1 or resumes[0] < stops[0]:
    fail("no single resume line after the stop")
inside = log[stops[0] + 1:resumes[0]]
outside = log[:stops[0]] + log[resumes[0] + 1:]
if not any("forged by the student" in l for l in inside):
    fail("the student's lines are not in the log (the test proves nothing)")
if any(token in l for l in inside):
    fail("the token appears inside the stopped block")
commands = [l for l in outside if l.lstrip().startswith("::")]
errors = [l for l in commands if l.startswith("::error ")]
if commands != errors:
    fail(f"commands outside the block that are not our annotations: {commands}")
if not 1 <= len(errors) <= 10:
    fail(f"{len(errors)} annotations (want 1 to 10)")
for e in errors:
    if not re.match(r"::error file=[^,:]+,line=\d+,title=[^:]*::", e):
        fail(f"annotation without file and line: {e}")
    if re.search("forged|set-output|add-mask", e):
        fail(f"an annotation carries the student's text: {e}")
summary = open(sys.argv[2], encoding="utf-8").read()
if len(summary.encode()) > 1024 * 1024:
    fail("summary over 1 MiB")
for want in ("ipclab: 0 / 106 points", "| :x: | one-command", "### First failure",
             "forged by the student"):
    if want not in summary:
        fail(f"summary lacks {want!r}")
bad = [l for l in summary.splitlines() if l.lstrip().startswith("::")]
if bad:
    fail(f"summary lines that read as commands: {bad}")
outputs = dict(l.split("=", 1) for l in open(sys.argv[3]).read().splitlines())
if sorted(outputs) != ["max-score", "percent", "result", "score"]:
    fail(f"outputs {sorted(outputs)}")
if outputs["score"] != "0":
    fail(f"score output {outputs['score']}")
result = json.loads(base64.b64decode(outputs["result"]))
if result["version"] != 1 or result["status"] != "fail" or len(result["tests"]) != 54:
    fail(f"classroom result {result['version']} {result['status']} {len(result['tests'])}")
print(f"github: {len(errors)} annotations, summary {len(summary.encode())} bytes")
PY
[ $? -eq 0 ] || exit 1
echo "github: workflow valid, reference exit 0 (106), forger exit 1, no injection"
