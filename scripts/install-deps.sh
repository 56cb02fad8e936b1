#!/usr/bin/env bash
# Installs the Debian 12 packages ipclab needs, and only those that are missing.
# As root it runs apt-get; as anyone else it prints the exact command and stops,
# so a student on a shared machine knows what to ask for.
set -euo pipefail

packages=(
  g++ cmake make
  libboost1.81-dev libboost-filesystem1.81-dev
  libyaml-cpp-dev libpugixml-dev libgtest-dev libgmock-dev
  nlohmann-json3-dev libcli11-dev
  # Used by the tests: schema validation, a real JUnit consumer, load.
  libxml2-utils python3 python3-junitparser stress-ng
  # The mutant suites compile through it (ipclab grade --build-cache).
  ccache
  # ctest's `format` check (scripts/check-format.sh).
  clang-format git
  # The client the echo lab's "Try it yourself" hints use (nc -N).
  netcat-openbsd
  # The batch dashboard's check opens it in headless Chromium (tests/batch).
  chromium
  # scripts/largest.sh (function extents).
  universal-ctags
  # Programs the pipeline lab's scripts use as stages.
  coreutils procps
  # Real POSIX shells the pipeline tests grade as psh (tests/pipeline/shells).
  dash posh mksh yash busybox bash
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

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
