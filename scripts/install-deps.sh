#!/usr/bin/env bash
# Installs the Debian 12 packages ipclab needs, and only those that are missing.
# As root it runs apt-get; as anyone else it prints the exact command and stops,
# so a student on a shared machine knows what to ask for.
#
#   scripts/install-deps.sh                  what building and grading need
#   scripts/install-deps.sh --with-ci-tools  also what tests/ci runs (test.sh)
set -euo pipefail
with_ci_tools=false
[ "${1:-}" = --with-ci-tools ] && with_ci_tools=true

packages=(
  g++ cmake make
  libboost1.81-dev libboost-filesystem1.81-dev
  libyaml-cpp-dev libpugixml-dev libgtest-dev libgmock-dev
  nlohmann-json3-dev libcli11-dev
  # Used by the tests: schema validation, a real JUnit consumer, load.
  libxml2-utils python3 python3-junitparser python3-yaml stress-ng
  # The mutant suites compile through it (ipclab grade --build-cache).
  ccache
  # ctest's `format` check (scripts/check-format.sh).
  clang-format git
  # The client the echo lab's "Try it yourself" hints use (nc -N).
  netcat-openbsd
  # The batch dashboard's check opens it in headless Chromium (tests/batch).
  chromium
  # The cluster test runs a real single-node Slurm (tests/batch/slurm_test.sh).
  slurm-wlm munge
  # scripts/largest.sh (function extents).
  universal-ctags
  # Programs the pipeline lab's scripts use as stages.
  coreutils procps
  # Real POSIX shells the pipeline tests grade as psh (tests/pipeline/shells).
  dash posh mksh yash busybox bash
  # ci/gradescope/make-zip.sh and its test.
  zip unzip
)
# tests/ci: Node for the npm tools below (npm too, unless the nodejs package
# brings it, as NodeSource's does); gitlab-ci-local copies the job's
# checkout with rsync.
if $with_ci_tools; then
  packages+=(nodejs rsync)
  command -v npm >/dev/null || packages+=(npm)
fi

# npm tools the ci/ tests run (tests/ci), pinned, in a prefix of their own
# (never global). gitlab-ci-local 4.56.0 is the newest that starts on Node
# 20 (later 4.x use Set.prototype.union, Node 22+); checked with Node 20.
npm_prefix=${IPCLAB_NPM_PREFIX:-/opt/ipclab-npm}
npm_tools=(
  gitlab-ci-local@4.56.0 ajv-cli@5.0.0 @action-validator/cli@0.6.0
  xunit-viewer@10.6.1
)
install_npm_tools() {
  local missing=() tool name version have
  for tool in "${npm_tools[@]}"; do
    name=${tool%@*}
    version=${tool##*@}
    have=$(cd "$npm_prefix" 2>/dev/null &&
      node -p "require('./node_modules/$name/package.json').version" 2>/dev/null) || have=
    [ "$have" = "$version" ] || missing+=("$tool")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v npm >/dev/null; then
    echo "The ci/ tests need npm (Debian 12: apt-get install npm)" >&2
    return 2
  fi
  if ! mkdir -p "$npm_prefix" 2>/dev/null || [ ! -w "$npm_prefix" ]; then
    echo "The ci/ tests need npm tools in $npm_prefix; run (as root):" >&2
    echo "  npm install --prefix $npm_prefix --save-exact ${missing[*]}" >&2
    return 2
  fi
  echo "Installing into $npm_prefix: ${missing[*]}" >&2
  npm install --prefix "$npm_prefix" --no-audit --no-fund --save-exact \
    "${missing[@]}" >/dev/null
}


missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  $with_ci_tools || exit 0
  install_npm_tools
  exit $?
fi

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "ipclab needs these Debian packages: ${missing[*]}" >&2
  echo "Ask an administrator to run (as root):" >&2
  echo "  apt-get update && $cmd" >&2
  exit 2
fi
echo "Installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$cmd >/dev/null
if $with_ci_tools; then install_npm_tools; fi
