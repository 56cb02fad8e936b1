#!/usr/bin/env bash
# ipclab's JUnit as the tools that read it see it, on two real gradings:
# the forger fixture (every test fails, hostile output) and a submission
# that does not compile (the build test points at psh.cpp line 2):
#   - the repository's schema (tests/report/schema/ipclab-junit.xsd);
#   - python3-junitparser (Debian): every testcase, with file and line;
#   - xunit-viewer: renders the HTML without an error, and its console
#     rendering of the same file lists every test.
#
#   tests/ci/junit_consumers_test.sh SOURCE_DIR IPCLAB NPM_BIN
set -uo pipefail
src=$1 ipclab=$2 npm_bin=$3
viewer=$npm_bin/xunit-viewer
if [ ! -x "$viewer" ]; then
  echo "FAIL: $viewer is missing; scripts/install-deps.sh --with-ci-tools installs it"
  exit 1
fi
work=$(mktemp -d /tmp/ipclab-junit-test-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

mkdir -p "$work/forger" "$work/broken"
cp "$src/tests/ci/fixtures/forger/psh.cpp" "$work/forger/"
printf 'int main() {\n  return missing;\n}\n' >"$work/broken/psh.cpp"
for s in forger broken; do
  (cd "$work/$s" && "$ipclab" grade pipeline --submission . \
    --junit "$work/$s.xml" >"$work/$s.log" 2>&1)
  [ $? -eq 1 ] || { tail "$work/$s.log"; fail "$s: ipclab did not exit 1"; }
  xmllint --noout --schema "$src/tests/report/schema/ipclab-junit.xsd" \
    "$work/$s.xml" 2>"$work/$s.lint" || { cat "$work/$s.lint"; fail "$s: schema"; }
done

PYTHONIOENCODING=utf-8 /usr/bin/python3 - "$work/forger.xml" "$work/broken.xml" <<'PY' || exit 1
import sys
from junitparser import JUnitXml
def cases(path):
    return [c for suite in JUnitXml.fromfile(path) for c in suite]
forger, broken = cases(sys.argv[1]), cases(sys.argv[2])
if len(forger) != 54 or len(broken) != 54:
    sys.exit(f"FAIL: junitparser read {len(forger)} and {len(broken)} cases, want 54")
failed = [c.name for c in forger if c.result]
if len(failed) != 53:
    sys.exit(f"FAIL: junitparser sees {len(failed)} failed cases of the forger, want 53")
build = next(c for c in broken if c.name == "build")
if (build._elem.get("file"), build._elem.get("line")) != ("psh.cpp", "2"):
    sys.exit(f"FAIL: build case file/line {build._elem.get('file')}:{build._elem.get('line')}")
if any(c._elem.get("file") != "HANDOUT.md" for c in forger):
    sys.exit("FAIL: a forger case without file=HANDOUT.md")
PY

for s in forger broken; do
  "$viewer" -r "$work/$s.xml" -o "$work/$s.html" >"$work/$s.viewer" 2>&1 ||
    { cat "$work/$s.viewer"; fail "$s: xunit-viewer failed"; }
  [ -s "$work/$s.html" ] || fail "$s: xunit-viewer wrote no HTML"
  grep -qi "error" "$work/$s.viewer" && { cat "$work/$s.viewer"; fail "$s: xunit-viewer reported an error"; }
  "$viewer" -r "$work/$s.xml" -c -n --clear=false >"$work/$s.console" 2>&1 ||
    fail "$s: xunit-viewer --console failed"
  want=$(grep -o '<testcase [^>]*name="[^"]*"' "$work/$s.xml" |
    sed 's/.* name="\([^"]*\)"/\1/' | sort)
  got=$(sed -n 's/^ *[^ ]* \([a-z0-9-]*\) time=.*/\1/p' "$work/$s.console" | sort)
  [ "$(echo "$want" | wc -l)" -eq 54 ] || fail "$s: $(echo "$want" | wc -l) testcases in the file"
  [ "$want" = "$got" ] ||
    fail "$s: xunit-viewer shows other tests: $(diff <(echo "$want") <(echo "$got") | head -5)"
done
echo "junit: schema, junitparser (54 cases, build at psh.cpp:2) and xunit-viewer (54 tests shown) accept both reports"
