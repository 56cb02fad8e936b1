#!/usr/bin/env bash
# `cmake --install BUILD --prefix P` makes a grader that works from P/bin on
# PATH alone, reading its labs from P/share/ipclab (a title changed there
# shows in `ipclab list`) and running its helpers, references and pool
# driver from P/lib/ipclab: it grades the pipeline and thread-pool
# references, and `ipclab init` starts a lab from the installed skeleton.
#
#   tests/ci/install_test.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=$1 src=$2
work=$(mktemp -d /tmp/ipclab-install-test-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
P=$work/prefix
cmake --install "$build" --prefix "$P" >"$work/install.txt" 2>&1 ||
  { cat "$work/install.txt"; fail "cmake --install failed"; }
[ -x "$P/bin/ipclab" ] || fail "no P/bin/ipclab"
[ -e "$P/lib/ipclab/core_tests" ] && fail "test programs were installed"
sed -i 's/^title: A shell that runs pipelines$/title: Installed pipelines/' \
  "$P/share/ipclab/labs/pipeline/lab.yaml"
run() { env -i PATH="$P/bin:/usr/bin:/bin" HOME="$work" "$@"; }
cd "$work"
run ipclab list >list.txt 2>&1 || { cat list.txt; fail "ipclab list"; }
grep -q '^pipeline: Installed pipelines' list.txt ||
  fail "the installed ipclab does not read P/share/ipclab: $(cat list.txt)"
grep -q '^threadpool:' list.txt || fail "no threadpool lab installed"
run ipclab grade pipeline --submission "$src/reference/pipeline" \
  --only one-command --only sigpipe-yes-head --only fds-every-stage \
  >pipeline.txt 2>&1 || { cat pipeline.txt; fail "pipeline reference"; }
run ipclab grade threadpool --submission "$src/reference/threadpool" \
  --only exactly-once >pool.txt 2>&1 || { cat pool.txt; fail "pool reference"; }
run ipclab init echo mine >init.txt 2>&1 || { cat init.txt; fail "init"; }
grep -q "IPCLAB ?= $P/lib/ipclab/ipclab" mine/Makefile || fail "Makefile: $(head -5 mine/Makefile)"
echo "install: P/bin/ipclab lists, grades (pipeline, threadpool) and inits from P"
