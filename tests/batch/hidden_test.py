#!/usr/bin/env python3
"""Hidden tests from an instructor's overlay, end to end (pipeline lab).

The overlay adds a test, `canary-7f3a`, whose title, hint and script carry
canary words, and moves the lab's own `sigpipe-yes-head` to
`after_due_date` with 5 points. The skeleton fails all of them, so a report
that let anything through would show the canary's expected output.

1. A student's run (`ipclab grade --tests-from`, no --instructor), with
   --keep: neither the console, the JUnit file, results.json, the directory
   it ran in nor the kept work directories hold any canary word or the id
   or title of a withheld test; each report says that 2 tests were
   withheld, and the score leaves their points out.
2. The instructor's run (--instructor): every report has both tests whole,
   results.json carries their visibilities (`hidden`, `after_due_date`)
   and hides the console log (`stdout_visibility: hidden`); the hidden
   test's rerun line carries --tests-from and --instructor, and a visible
   test's rerun line in the student's report carries neither.
3. `ipclab batch --tests-from`: the gradebook has the canary's column, and
   the student's results.json under OUT is the instructor's, whole.

Usage: hidden_test.py IPCLAB SOURCE_DIR
"""
import csv
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

CANARY_WORDS = ["canary", "CANARY"]
OVERRIDDEN = "sigpipe-yes-head"
OVERRIDDEN_TITLE = "yes | head -n 1 ends at once"
VISIBLE = "one-command"

OVERLAY = """\
lab: pipeline
tests:
  - id: canary-7f3a
    title: CANARY-TITLE the hidden one
    kind: psh-script
    points: 3
    hint: CANARY-HINT read this only after grades are out
    script: |
      echo CANARY-OUTPUT-7f3a
  - id: sigpipe-yes-head
    points: 5
    visibility: after_due_date
"""


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def grade(ipclab, overlay, skeleton, cwd, out, instructor):
    argv = [ipclab, "grade", "pipeline", "--submission", skeleton,
            "--tests-from", overlay, "--only", VISIBLE, "--only",
            "canary-7f3a", "--only", OVERRIDDEN, "--jobs", "2",
            "--junit", os.path.join(out, "junit.xml"),
            "--gradescope", os.path.join(out, "results.json")]
    argv += ["--instructor"] if instructor else ["--keep"]
    run = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, timeout=600)
    console = run.stdout.decode("utf-8", "replace")
    with open(os.path.join(out, "console.txt"), "w") as f:
        f.write(console)
    if run.returncode != 1:
        fail("grading the skeleton exited %d, not 1:\n%s" %
             (run.returncode, console))
    return console


def kept_dirs(console):
    """The work directories a --keep run names."""
    dirs = []
    lines = console.splitlines()
    for i, line in enumerate(lines):
        if "Files kept (--keep)" in line and i + 1 < len(lines):
            dirs.append(lines[i + 1].strip())
    return dirs


def files_under(path):
    for root, _, names in os.walk(path):
        for name in names:
            yield os.path.join(root, name)


def check_student(out, cwd, console):
    kept = kept_dirs(console)
    if not kept:
        fail("the student's --keep run names no kept directory:\n" + console)
    student_files = [os.path.join(out, n) for n in
                     ("console.txt", "junit.xml", "results.json")]
    student_files += list(files_under(cwd))
    for d in kept:
        student_files += list(files_under(d))
    words = CANARY_WORDS + [OVERRIDDEN, OVERRIDDEN_TITLE]
    for path in student_files:
        text = read(path)
        for word in words:
            if word in text or word in os.path.basename(path):
                fail("%r reached the student-facing %s" % (word, path))
    if glob.glob("/tmp/ipclab-pipeline-canary-7f3a-*"):
        fail("a work directory of the hidden test was kept")
    for d in kept:
        shutil.rmtree(d, ignore_errors=True)
    if "--instructor" in console or "--tests-from" in console:
        fail("a student's rerun line names the overlay or --instructor")
    if "2 more tests were graded that your instructor keeps hidden" \
            not in console:
        fail("the console does not say that 2 tests were withheld")
    results = json.loads(read(os.path.join(out, "results.json")))
    ids = [t["name"].split(":")[0] for t in results["tests"]]
    if ids != ["build", VISIBLE]:
        fail("the student's results.json has tests %s" % ids)
    if results["max_score"] != 2 or results["stdout_visibility"] != "visible":
        fail("the student's results.json: max_score %s, stdout %s" %
             (results["max_score"], results["stdout_visibility"]))
    if 'name="withheld_tests" value="2"' not in read(
            os.path.join(out, "junit.xml")):
        fail("the student's junit.xml does not count the withheld tests")


def check_instructor(out):
    for name in ("console.txt", "junit.xml", "results.json"):
        text = read(os.path.join(out, name))
        # (The console names tests by id; the files carry titles too.)
        words = ["CANARY-OUTPUT", "canary-7f3a", OVERRIDDEN]
        words += [] if name == "console.txt" else ["CANARY-TITLE"]
        for word in words:
            if word not in text:
                fail("the instructor's %s lacks %r" % (name, word))
    # Its rerun works as printed: with the overlay, for an instructor.
    console = read(os.path.join(out, "console.txt"))
    reruns = [l for l in console.splitlines()
              if "Rerun:" in l and "--only canary-7f3a" in l]
    if not reruns or "--tests-from" not in reruns[0] \
            or "--instructor" not in reruns[0]:
        fail("the canary's rerun line: %s" % reruns)
    results = json.loads(read(os.path.join(out, "results.json")))
    by_id = {t["name"].split(":")[0]: t for t in results["tests"]}
    canary, moved = by_id.get("canary-7f3a"), by_id.get(OVERRIDDEN)
    if not canary or canary["visibility"] != "hidden":
        fail("the canary's visibility: %s" % canary)
    if "CANARY-OUTPUT-7f3a" not in canary["output"]:
        fail("the instructor's canary output lacks its details")
    if not moved or moved["visibility"] != "after_due_date" \
            or moved["max_score"] != 5:
        fail("the overridden test: %s" % moved)
    if results["stdout_visibility"] != "hidden":
        fail("stdout_visibility is %s" % results["stdout_visibility"])


def check_batch(ipclab, overlay, skeleton, work):
    subs = os.path.join(work, "subs")
    shutil.copytree(skeleton, os.path.join(subs, "alice"))
    out = os.path.join(work, "batch")
    run = subprocess.run([ipclab, "batch", "pipeline", subs, "--out", out,
                          "--tests-from", overlay, "--jobs", "1"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         timeout=900)
    if run.returncode != 0:
        fail("batch exited %d:\n%s" % (run.returncode, run.stdout.decode()))
    with open(os.path.join(out, "gradebook.csv"), newline="") as f:
        rows = list(csv.reader(f))
    if "canary-7f3a" not in rows[0]:
        fail("the gradebook has no canary column: %s" % rows[0])
    results = json.loads(read(os.path.join(out, "alice", "results.json")))
    if not any(t["name"].startswith("canary-7f3a") for t in results["tests"]):
        fail("the batch's results.json lacks the hidden test")


def main():
    ipclab, source = sys.argv[1], sys.argv[2]
    skeleton = os.path.join(source, "skeletons", "pipeline")
    with tempfile.TemporaryDirectory(prefix="ipclab-hidden-test-") as work:
        overlay = os.path.join(work, "hidden.yaml")
        with open(overlay, "w") as f:
            f.write(OVERLAY)
        for who in ("student", "instructor", "student-cwd"):
            os.makedirs(os.path.join(work, who))
        cwd = os.path.join(work, "student-cwd")
        console = grade(ipclab, overlay, skeleton, cwd,
                        os.path.join(work, "student"), instructor=False)
        check_student(os.path.join(work, "student"), cwd, console)
        print("ok: the student's reports hold nothing of the hidden tests")
        grade(ipclab, overlay, skeleton, os.path.join(work, "instructor"),
              os.path.join(work, "instructor"), instructor=True)
        check_instructor(os.path.join(work, "instructor"))
        print("ok: the instructor's reports hold both tests whole")
        check_batch(ipclab, overlay, skeleton, work)
        print("ok: the batch grades the hidden test")
    print("PASS")


if __name__ == "__main__":
    main()
