#!/usr/bin/env bash
# Grades a class on a Slurm cluster: N array tasks each grade one shard
# (grade-array.sbatch), then one job that runs only if all of them
# succeeded merges the shards into OUT/merged (gradebook.csv, summary.json,
# index.html). Prints the merge job's id.
#
#   ci/slurm/submit.sh LAB SUBMISSIONS_DIR OUT N [sbatch options...]
#
# OUT must be on storage every node sees. IPCLAB names the ipclab
# executable when it is not on PATH; IPCLAB_TESTS_FROM an instructor's test
# overlay (hidden tests), which the array tasks and the merge both read.
set -euo pipefail
[[ $# -ge 4 ]] || { echo "usage: $0 LAB SUBMISSIONS_DIR OUT N [sbatch options...]" >&2; exit 2; }
lab=$1 subs=$2 out=$3 n=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
# An absolute path: the jobs run in OUT, not here.
ipclab=$(readlink -f "${IPCLAB:-$(command -v ipclab)}")
mkdir -p "$out"
out=$(readlink -f "$out")
subs=$(readlink -f "$subs")
export IPCLAB=$ipclab IPCLAB_LAB=$lab IPCLAB_SUBMISSIONS=$subs IPCLAB_OUT=$out
[ -z "${IPCLAB_TESTS_FROM:-}" ] ||
  export IPCLAB_TESTS_FROM=$(readlink -f "$IPCLAB_TESTS_FROM")
array=$(sbatch --parsable --array=0-$((n - 1)) --chdir="$out" "$@" \
  "$here/grade-array.sbatch")
array=${array%%;*}  # "JOBID;CLUSTER" on federated clusters
shards=()
for ((i = 1; i <= n; i++)); do shards+=("$out/shard-$i"); done
merge="$(printf '%q ' "$ipclab" merge "$lab" "${shards[@]}" --out "$out/merged")"
sbatch --parsable --dependency=afterok:"$array" --chdir="$out" \
  --job-name=ipclab-merge --output=ipclab-merge-%j.log "$@" --wrap "$merge"
