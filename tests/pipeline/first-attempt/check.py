#!/usr/bin/env python3
"""The first attempt of issue 14, graded as a student would grade it.

A fresh skeleton (skeletons/pipeline) with psh.patch: a hurried first
attempt that waits only for the last command, decodes every status with
WEXITSTATUS, and never closes the read end each pipe leaves in the shell.
Checks the console report:
  - the cause `unreaped-children` is stated once, in the first block after
    the list, and its tests get no block of their own;
  - no test's own hint (written for another mistake) is printed for them;
  - the report fits in 150 lines, and no line is wider than 160 columns;
  - every printed Rerun command, pasted as printed from the directory the
    grader ran in, fails that test again;
  - the report's outline (list, block headers, hints, reruns; bodies left
    out, times and pids normalised) equals report.golden.
Run with --update to rewrite report.golden.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def grade(ipclab, source_dir, work):
    sub = os.path.join(work, "sub")
    shutil.copytree(os.path.join(source_dir, "skeletons", "pipeline"), sub)
    subprocess.run(["patch", "-s", "-p1", "-d", sub, "-i",
                    os.path.join(HERE, "psh.patch")], check=True)
    r = subprocess.run([ipclab, "grade", "pipeline", "--submission", "sub",
                        "--jobs", "2"], cwd=work, capture_output=True,
                       text=True, timeout=600, env=dict(os.environ,
                                                        NO_COLOR="1"))
    return r


def outline(text, ipclab):
    """The lines a student reads first; bodies (4+ spaces) left out."""
    bin_dir = os.path.dirname(ipclab)
    out = []
    for line in text.splitlines():
        if line.startswith("    "):
            continue
        line = line.replace(bin_dir, "BIN")
        line = re.sub(r"\d+\.\d\ds$", "T.TTs", line)
        line = re.sub(r"\d+\.\d\ds  ", "T.TTs  ", line)
        out.append(line)
    return "\n".join(out) + "\n"


def problems_in(text, work):
    problems = []
    lines = text.splitlines()
    if len(lines) > 150:
        problems.append("the report has %d lines, more than 150" % len(lines))
    wide = [l for l in lines if len(l) > 160]
    if wide:
        problems.append("%d lines wider than 160 columns" % len(wide))
    leads = [l for l in lines if "tests failed because commands were never "
             "waited for (unreaped-children)" in l]
    if len(leads) != 1:
        problems.append("the unreaped-children cause is stated %d times"
                        % len(leads))
    blocks = [l for l in lines if l and not l.startswith(" ")
              and not re.match(r"^(PASS|FAIL|CRASH|TIMEOUT|OUTPUT|ERROR|SKIP)"
                               r"\s\s", l)]
    if not blocks or "unreaped-children" not in blocks[1]:
        problems.append("the first block is not the unreaped-children cause:"
                        " %r" % blocks[1:2])
    marked = [l.split()[1] for l in lines
              if l.startswith("FAIL ") and l.endswith("unreaped-children")]
    for test_id in marked:
        if ("FAIL %s:" % test_id) in text:
            problems.append("%s has its own block as well" % test_id)
    # Hints written for other mistakes, which pointed elsewhere.
    for wrong in ("must not touch the data", "_exit at once",
                  "Fork every command first", "not just the last one"):
        if wrong in text:
            problems.append("a hint that contradicts the cause: %r" % wrong)
    reruns = [l.split("Rerun: ", 1)[1] for l in lines if "  Rerun: " in l]
    if not reruns:
        problems.append("no Rerun command printed")
    for cmd in reruns:
        r = subprocess.run(cmd, shell=True, cwd=work, capture_output=True,
                           text=True, timeout=300,
                           env=dict(os.environ, NO_COLOR="1"))
        test_id = cmd.rsplit("--only ", 1)[1]
        if r.returncode != 1 or not re.search(
                r"^FAIL\s+%s\s" % re.escape(test_id), r.stdout, re.M):
            problems.append("Rerun did not fail %s again (exit %d):\n%s%s"
                            % (test_id, r.returncode, r.stdout, r.stderr))
    return problems


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ipclab", required=True)
    p.add_argument("--source-dir", required=True)
    p.add_argument("--update", action="store_true")
    args = p.parse_args()
    ipclab = os.path.abspath(args.ipclab)
    golden_path = os.path.join(HERE, "report.golden")
    with tempfile.TemporaryDirectory(prefix="ipclab-first-attempt-") as work:
        r = grade(ipclab, os.path.abspath(args.source_dir), work)
        if r.returncode != 1:
            print("grading exited %d, not 1\n%s%s" % (r.returncode, r.stdout,
                                                     r.stderr))
            return 1
        got = outline(r.stdout, ipclab)
        if args.update:
            with open(golden_path, "w") as f:
                f.write(got)
            return 0
        problems = problems_in(r.stdout, work)
        with open(golden_path) as f:
            want = f.read()
        if got != want:
            import difflib
            problems.append("the outline differs from report.golden:\n" +
                            "".join(difflib.unified_diff(
                                want.splitlines(True), got.splitlines(True),
                                "report.golden", "this run")))
        if problems:
            print(r.stdout)
            print("\n".join("PROBLEM: " + p for p in problems))
            return 1
    print("first attempt: report as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
