#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (ctest): the
# framework's unit tests, the reporters' validity checks, the mutant
# submissions each lab's grader must catch, and the stability checks.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-deps.sh --with-ci-tools
./scripts/build.sh
cd build
ctest --output-on-failure -j "$(( $(nproc) + 1 ))" "$@"
