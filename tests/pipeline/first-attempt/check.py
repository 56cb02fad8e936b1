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
    grader ran in, fails that test again, and with --keep says where it
    kept the test's files (the whole script among them);
  - every printed "Try it yourself" block, pasted as printed there, runs
    (builds psh, writes the script, runs it) and, where the failure is a
    wrong status, shows that same status;
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
        # A time's width varies (0.05s, 10.12s): its padding goes too.
        line = re.sub(r" +\d+\.\d\ds( |$)", r" T.TTs\1", line)
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


def try_blocks(text):
    """(summary of the block, commands) for each Try-it section."""
    blocks, summary, commands, inside = [], "", None, False
    for line in text.splitlines():
        if line.startswith("  The first of them, ") or re.match(
                r"^[A-Z]+ \S+: ", line):
            summary = line
        elif line.startswith("    ") and not line.startswith("      "):
            summary += " " + line.strip()
        if line == "  Try it yourself:":
            commands, inside = [], True
            continue
        if inside and line.startswith("      "):
            commands.append(line[6:])
            continue
        if inside and line.startswith("    "):
            continue
        if inside:
            blocks.append((summary, commands))
            inside = False
    return blocks


def try_it_problems(text, work):
    problems = []
    blocks = try_blocks(text)
    if not blocks:
        problems.append("no Try it yourself block printed")
    for summary, commands in blocks:
        script = "set -e\n" + "\n".join(commands) + "\n"
        r = subprocess.run(["sh", "-c", script], cwd=work,
                           capture_output=True, text=True, timeout=300)
        where = "Try it of %r" % summary[:60]
        if r.returncode != 0 or "not found" in r.stderr or \
                "No such file" in r.stderr:
            problems.append("%s did not run (exit %d):\n%s%s\n%s" % (
                where, r.returncode, script, r.stdout, r.stderr))
            continue
        m = re.search(r"The exit status is (\d+)", summary)
        if m and ("status %s\n" % m.group(1)) not in r.stdout:
            problems.append("%s did not show status %s:\n%s" % (
                where, m.group(1), r.stdout))
    return problems


def keep_problems(rerun, work):
    r = subprocess.run(rerun + " --keep", shell=True, cwd=work,
                       capture_output=True, text=True, timeout=300,
                       env=dict(os.environ, NO_COLOR="1"))
    lines = r.stdout.splitlines()
    for i, line in enumerate(lines):
        if line == "  Files kept (--keep):" and i + 1 < len(lines):
            kept = lines[i + 1].strip()
            ok = os.path.isfile(os.path.join(kept, "student.psh"))
            shutil.rmtree(kept, ignore_errors=True)
            return [] if ok else ["--keep named %s, without student.psh"
                                  % kept]
    return ["--keep did not say where it kept the files:\n" + r.stdout]


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
        problems += try_it_problems(r.stdout, work)
        reruns = [l.split("Rerun: ", 1)[1] for l in r.stdout.splitlines()
                  if "  Rerun: " in l]
        if reruns:
            problems += keep_problems(reruns[0], work)
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
