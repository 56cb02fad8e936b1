#!/usr/bin/env bash
# ctest `cluster.slurm`: the Slurm path of docs/instructors.md on a real
# single-node Slurm, started here and stopped here. munged, slurmctld and
# slurmd (Debian's munge and slurm-wlm) run from one temporary directory,
# with a generated slurm.conf, ports of their own and addresses on loopback
# only. ci/slurm/submit.sh grades the pipeline reference, skeleton and
# example in 3 array tasks and merges them after; the merged gradebook must
# equal, byte for byte, one local `ipclab batch` over the same folder. If a
# daemon does not come up, the test fails with the daemons' own log lines.
#
#   slurm_test.sh IPCLAB SOURCE_DIR
set -euo pipefail
ipclab=$1
src=$2
for tool in munged slurmctld slurmd sbatch sinfo squeue; do
  command -v "$tool" >/dev/null ||
    { echo "FAIL: $tool is missing (scripts/install-deps.sh installs slurm-wlm and munge)"; exit 1; }
done
if [[ $(id -u) -ne 0 ]]; then
  echo "FAIL: the cluster test starts slurmd, which needs root (CI runs ./test.sh as root)"
  exit 1
fi

dir=$(mktemp -d /tmp/ipclab-slurm-XXXXXX)
pids=()
stop_daemons() {
  # Only the daemons this test started, by the pids their pid files hold.
  for f in "$dir"/slurmd.pid "$dir"/slurmctld.pid "$dir"/munged.pid; do
    [[ -s $f ]] && kill "$(cat "$f")" 2>/dev/null || true
  done
  for f in "$dir"/slurmd.pid "$dir"/slurmctld.pid "$dir"/munged.pid; do
    [[ -s $f ]] || continue
    pid=$(cat "$f")
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "FAIL: daemon $pid ($f) did not stop"; kill -9 "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$dir"
}
trap stop_daemons EXIT
show_logs() {
  for log in "$dir"/*.log; do
    echo "--- $log"; tail -n 30 "$log" 2>/dev/null || true
  done
}
fail() { echo "FAIL: $*"; show_logs; exit 1; }

# Waits (observing, not sleeping a fixed time) until CMD succeeds.
wait_for() {
  local what=$1 limit=$2; shift 2
  local end=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < end)) || fail "$what did not happen within ${limit}s"
    sleep 0.2
  done
}

host=$(hostname -s)
# Ports from the dynamic range, chosen by this test's pid, so two runs on
# one machine do not collide.
base=$((20000 + ($$ % 20000)))
mkdir -p "$dir/spool" "$dir/state" "$dir/munge"
head -c 1024 /dev/urandom > "$dir/munge.key"
chmod 0400 "$dir/munge.key"
munged --key-file="$dir/munge.key" --socket="$dir/munge/munge.sock" \
  --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" \
  --seed-file="$dir/munge.seed" --force ||
  fail "munged did not start"

cat > "$dir/slurm.conf" <<EOF
ClusterName=ipclab-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmctldPort=$base
SlurmdPort=$((base + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=grading Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$dir/slurm.conf
slurmctld -c -i || fail "slurmctld did not start"
slurmd || fail "slurmd did not start"
node_idle() { sinfo -h -N -o '%T' | grep -qx idle; }
wait_for "the node becoming idle (sinfo)" 60 node_idle

subs=$dir/subs
mkdir -p "$subs"
cp -r "$src/reference/pipeline" "$subs/reference"
cp -r "$src/skeletons/pipeline" "$subs/skeleton"
cp -r "$src/examples/submission/pipeline" "$subs/example"

out=$dir/out
merge_job=$(IPCLAB=$ipclab "$src/ci/slurm/submit.sh" pipeline "$subs" "$out" 3) ||
  fail "ci/slurm/submit.sh failed"
# Done when the queue is empty; a merge whose array failed would wait
# forever (DependencyNeverSatisfied), so that ends the wait too, as a fail.
queue_done() {
  local reasons
  reasons=$(squeue -h -o '%r')
  if grep -q DependencyNeverSatisfied <<<"$reasons"; then
    for log in "$out"/*.log; do echo "--- $log"; cat "$log"; done
    fail "an array task failed, so the merge job can never run"
  fi
  [[ -z $reasons ]]
}
end=$((SECONDS + 600))
until queue_done; do
  ((SECONDS < end)) || fail "the array and the merge job ($merge_job) did not finish within 600 s"
  sleep 0.2
done
[[ -s $out/merged/gradebook.csv ]] || {
  for log in "$out"/*.log; do echo "--- $log"; cat "$log"; done
  fail "the merge job wrote no gradebook"
}
for i in 1 2 3; do
  [[ -d $out/shard-$i ]] || fail "array task $i wrote no shard"
done

"$ipclab" batch pipeline "$subs" --out "$dir/local" --jobs 2 >/dev/null ||
  fail "the local batch failed"
if ! cmp -s "$out/merged/gradebook.csv" "$dir/local/gradebook.csv"; then
  diff "$out/merged/gradebook.csv" "$dir/local/gradebook.csv" || true
  fail "the Slurm gradebook differs from the local one"
fi
rows=$(($(wc -l < "$out/merged/gradebook.csv") - 1))
[[ $rows -eq 3 ]] || fail "the merged gradebook has $rows rows, not 3"
echo "PASS: 3 shards on Slurm ($host), merged = local batch ($rows students)"
