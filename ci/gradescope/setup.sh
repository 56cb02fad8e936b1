#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image:
# it installs what ipclab needs and builds it. The autograder zip (made by
# ci/gradescope/make-zip.sh) holds the ipclab source tree with this file and
# run_autograder at its root; Gradescope unpacks it in /autograder/source.
#
# $IPCLAB_GRADESCOPE_ROOT replaces /autograder (the tests use a temporary
# directory laid out the same way).
set -euo pipefail
source_dir=${IPCLAB_GRADESCOPE_ROOT:-/autograder}/source
"$source_dir/scripts/install-deps.sh"
"$source_dir/scripts/build.sh"
