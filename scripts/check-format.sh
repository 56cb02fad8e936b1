#!/usr/bin/env bash
# Fails (and names the files) when a C++ file of the project is not
# formatted as .clang-format says (Google style). ctest runs it as
# `format`; fix with: clang-format -i FILE...
set -uo pipefail
cd "$(dirname "$0")/.."
if git rev-parse --git-dir >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.cc' '*.h' '*.cpp' '*.hpp')
else  # A copy without .git: the same folders.
  mapfile -t files < <(find graders reference skeletons examples tests \
    \( -name '*.cc' -o -name '*.h' -o -name '*.cpp' -o -name '*.hpp' \) |
    sort)
fi
# One clang-format for all files; it names each unformatted one.
mapfile -t bad < <(clang-format --dry-run --Werror "${files[@]}" 2>&1 |
                   grep -oE '^[^:]+:[0-9]+:[0-9]+: error' | cut -d: -f1 | sort -u)
if [[ ${#bad[@]} -gt 0 ]]; then
  echo "not clang-formatted (run: clang-format -i FILE):" >&2
  printf '  %s\n' "${bad[@]}" >&2
  exit 1
fi
echo "${#files[@]} files formatted"
