#!/usr/bin/env bash
# ci/github/batch-matrix.yml: action-validator accepts it (and rejects a
# broken copy); its matrix has as many shards as SHARDS says; every shard
# job grades its own --shard I/SHARDS; the merge job needs the grade jobs
# and runs ipclab merge; and the Grade and Merge commands, run here as the
# runner would (the matrix unrolled), give the same gradebook as one batch.
#
#   tests/ci/batch_matrix_test.sh SOURCE_DIR IPCLAB NPM_BIN
set -uo pipefail
src=$1 ipclab=$2 npm_bin=$3
workflow=$src/ci/github/batch-matrix.yml
validator=$npm_bin/action-validator
fail() { echo "FAIL: $*"; exit 1; }
[ -x "$validator" ] ||
  fail "$validator (@action-validator/cli) is missing; scripts/install-deps.sh --with-ci-tools installs it"
work=$(mktemp -d /tmp/ipclab-matrix-test-XXXXXX)
trap 'rm -rf "$work"' EXIT

"$validator" "$workflow" >"$work/valid.txt" 2>&1 ||
  { cat "$work/valid.txt"; fail "action-validator rejects the workflow"; }
sed 's/runs-on:/runs_on:/' "$workflow" >"$work/broken.yml"
"$validator" "$work/broken.yml" >/dev/null 2>&1 &&
  fail "action-validator accepts a workflow without runs-on (proves nothing)"

# The two commands, with the matrix and inputs filled in as Actions would.
/usr/bin/python3 - "$workflow" "$work" <<'PY' || fail "the workflow's shape is wrong"
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
work = sys.argv[2]
grade, merge = doc["jobs"]["grade"], doc["jobs"]["merge"]
shards = grade["strategy"]["matrix"]["shard"]
assert shards == list(range(1, int(doc["env"]["SHARDS"]) + 1)), shards
assert merge["needs"] == "grade"
run = [s["run"] for s in grade["steps"] if "ipclab batch" in s.get("run", "")]
mrg = [s["run"] for s in merge["steps"] if "ipclab merge" in s.get("run", "")]
assert len(run) == 1 and len(mrg) == 1
with open(work + "/steps.sh", "w") as f:
    for i in shards:
        f.write(run[0].replace("${{ matrix.shard }}", str(i))
                      .replace('${{ inputs.lab }}', "pipeline") + "\n")
    f.write(mrg[0].replace('${{ inputs.lab }}', "pipeline") + "\n")
PY

mkdir -p "$work/repo/submissions" "$work/repo/.ipclab/build/bin"
cp -r "$src/reference/pipeline" "$work/repo/submissions/alice"
cp -r "$src/skeletons/pipeline" "$work/repo/submissions/bob"
ln -s "$ipclab" "$work/repo/.ipclab/build/bin/ipclab"
(cd "$work/repo" && SUBMISSIONS=submissions SHARDS=4 bash -e "$work/steps.sh" >"$work/log.txt" 2>&1) ||
  { cat "$work/log.txt"; fail "the unrolled steps failed"; }
"$ipclab" batch pipeline "$work/repo/submissions" --out "$work/one" >/dev/null ||
  fail "the single batch failed"
cmp -s "$work/repo/results/gradebook.csv" "$work/one/gradebook.csv" ||
  fail "the matrix's merged gradebook differs from one batch's"
echo "PASS: batch-matrix.yml validates; its 4 shards merged equal one batch"
