#!/usr/bin/python3
"""Grades one mutant of a lab's reference and checks which tests catch it.

    run_mutant.py --lab LAB --ipclab BIN --source-dir REPO --name NAME
                  [--time-limit SECONDS] [--repeat N] [--only-listed] [--show]

NAME is a patch in tests/LAB/mutants/ (NAME.patch, applied with `patch -p1`
to a copy of reference/LAB), or one of the special names `reference` (the
reference as it is: every test must pass) and `skeleton` (skeletons/LAB as
it is: only the ids on the `skeleton-passes:` line may pass, and it must
score at most 10% of the points). Every lab's mutant suite uses this one
script; see tests/pipeline/README.md.

The set of failed test ids must be exactly the one on NAME's line of
mutants/expected.txt. The run also fails if the grader exits with 2 (it could
not judge), reports a test as ERROR, or takes longer than --time-limit
(a hung grader).

A line may end with `| id id ...`: ids that may fail or pass. Racy
mutants (tests/LAB/mutants/racy/, graded with --repeat N so every test runs
N times) use it for the tests that catch their bug only in some runs, too
rarely for N runs to be sure; the ids before `|` must fail every time.

--only-listed grades only the ids before the `|` on NAME's line
(`ipclab grade --only ID --only ID ...`): the check is then exact for
those ids (each must fail) and says nothing about the lab's other tests,
which the plain grading of the regular mutants covers. For racy mutants,
whose --repeat 5 grading of a whole lab takes minutes. The ids after `|`
are not graded (they may fail or pass, so grading them could not fail the
check); they must still be ids of the lab.

--from-batch OUT checks the grading that `ipclab batch` already did of
NAME (OUT/NAME/: record.json, report.txt, results.json) instead of grading:
ctest grades a lab's whole suite as one batch (batch_mutants.py), so the
batch is tested on every mutant and each mutant is graded once. Without
it, this script grades NAME itself, which is the quick way to try one.

--show prints the line to add to expected.txt instead of comparing (still
failing on grader errors); with --only-listed, the failed ids among those
graded. Standard library only: run it with /usr/bin/python3.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SKELETON_MAX_SHARE = 0.10  # the skeleton may score at most 10% of the points
MARKS = ("PASS", "FAIL", "CRASH", "TIMEOUT", "OUTPUT", "ERROR", "SKIP")
# A list line "FAIL     id   0/2 ..." or a block header "FAIL id: summary".
MARK_LINE = re.compile(r"^(%s)\s+(\S+?):?\s" % "|".join(MARKS))
ANSI = re.compile(r"\x1b\[[0-9;]*m")


class Problem(Exception):
    """The mutant test fails; the message says why."""


def read_expected(path):
    """Parses expected.txt: {key: (must, may)}, keys being names or
    skeleton-passes; `may` holds the ids after a `|`."""
    expected = {}
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            key, sep, ids = line.partition(":")
            key = key.strip()
            if not sep or not key or key in expected:
                raise Problem("%s:%d: expected 'NAME: id id ...' with a new NAME, "
                              "got %r" % (path, number, line))
            must, _, may = ids.partition("|")
            expected[key] = (set(must.split()), set(may.split()))
    return expected


def console_sections(text):
    """Maps each test id to its block of the grader's console output."""
    sections, current = {}, None
    for line in ANSI.sub("", text).splitlines():
        m = MARK_LINE.match(line)
        if m:
            current = m.group(2)
            sections[current] = [line]
        elif current is not None and line.startswith("  "):
            sections[current].append(line)
        else:
            current = None
    return {k: "\n".join(v) for k, v in sections.items()}


def marks_by_id(text):
    marks = {}
    for line in ANSI.sub("", text).splitlines():
        m = MARK_LINE.match(line)
        if m:
            marks[m.group(2)] = m.group(1)
    return marks


def prepare_submission(args, work):
    """Copies the graded sources into work/submission; returns its path."""
    src = os.path.abspath(args.source_dir)
    sub = os.path.join(work, "submission")
    if args.name == "skeleton":
        shutil.copytree(os.path.join(src, "skeletons", args.lab), sub)
        return sub
    shutil.copytree(os.path.join(src, "reference", args.lab), sub)
    if args.name == "reference":
        return sub
    patch = os.path.join(args.mutants_dir, args.name + ".patch")
    if not os.path.isfile(patch):
        raise Problem("no such mutant: %s" % patch)
    with open(patch, "rb") as f:
        r = subprocess.run(["patch", "-p1", "--quiet", "--batch"], cwd=sub,
                           stdin=f, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
    if r.returncode != 0:
        raise Problem("%s does not apply to reference/%s (patch exit %d):\n%s"
                      % (patch, args.lab, r.returncode,
                         r.stdout.decode("utf-8", "replace")))
    return sub


def grade(args, work, submission, only=()):
    """Runs the grader (only the ids in `only`, if any); returns (exit code,
    console text, gradescope dict, seconds)."""
    out_json = os.path.join(work, "results.json")
    cmd = [os.path.abspath(args.ipclab), "grade", args.lab,
           "--submission", submission, "--gradescope", out_json,
           "--jobs", "2", "--repeat", str(args.repeat)]
    if args.build_cache:
        cmd += ["--build-cache", os.path.abspath(args.build_cache)]
    for test_id in sorted(only):
        cmd += ["--only", test_id]
    start = time.monotonic()
    # A session of its own, so a hung grader can be killed with everything
    # it started, and nothing else.
    proc = subprocess.Popen(cmd, cwd=os.path.abspath(args.source_dir),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=args.time_limit)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        text = out.decode("utf-8", "replace")
        raise Problem("the grader was still running after %.0f s (a hung "
                      "grader); killed. Its output so far:\n%s"
                      % (args.time_limit, text))
    elapsed = time.monotonic() - start
    text = out.decode("utf-8", "replace")
    if elapsed > args.time_limit:
        raise Problem("the grader took %.1f s, more than %.0f s"
                      % (elapsed, args.time_limit))
    if proc.returncode == 2:
        raise Problem("the grader exited with 2: it could not run or judge "
                      "the tests. Its output:\n" + text)
    if proc.returncode not in (0, 1):
        raise Problem("the grader exited with %d. Its output:\n%s"
                      % (proc.returncode, text))
    try:
        with open(out_json, encoding="utf-8") as f:
            results = json.load(f)
    except (OSError, ValueError) as e:
        raise Problem("cannot read the grader's Gradescope file %s: %s\n"
                      "Its output:\n%s" % (out_json, e, text))
    return proc.returncode, text, results, elapsed


def from_batch(args):
    """The grading of NAME that `ipclab batch` did (batch_mutants.py):
    (exit code, console text, gradescope dict, seconds), read from
    OUT/NAME/, with the same problems grade() would raise."""
    d = os.path.join(args.from_batch, args.name)
    try:
        with open(os.path.join(d, "record.json"), encoding="utf-8") as f:
            record = json.load(f)
    except (OSError, ValueError) as e:
        raise Problem("the batch has no finished result for %s (%s); see "
                      "the %s.mutants.batch test's output"
                      % (args.name, e, args.lab))
    try:
        with open(os.path.join(d, "report.txt"), encoding="utf-8",
                  errors="replace") as f:
            text = f.read()
    except OSError:
        text = ""
    state = record.get("state")
    if state == "timed out":
        raise Problem("the grader was still running after %.0f s (a hung "
                      "grader); the batch killed it. Its output so far:\n%s"
                      % (args.time_limit, text))
    if state == "grading error":
        raise Problem("the grader could not run or judge the tests (%s). "
                      "Its output:\n%s" % (record.get("note", ""), text))
    try:
        with open(os.path.join(d, "results.json"), encoding="utf-8") as f:
            results = json.load(f)
    except (OSError, ValueError) as e:
        raise Problem("cannot read the batch's Gradescope file for %s: %s"
                      % (args.name, e))
    passed = all(t["status"] == "passed" for t in results.get("tests", []))
    return (0 if passed else 1), text, results, record.get("seconds", 0.0)


def lab_ids(args):
    """The lab's test ids, from `ipclab list LAB`."""
    r = subprocess.run([os.path.abspath(args.ipclab), "list", args.lab],
                       cwd=os.path.abspath(args.source_dir),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if r.returncode != 0:
        raise Problem("ipclab list %s failed:\n%s" % (args.lab, r.stdout))
    return {line.split()[0] for line in r.stdout.splitlines()
            if line.startswith("  ") and line.split()}


def indent(text, prefix="    "):
    return "\n".join(prefix + line for line in text.splitlines())


def check(args, rc, text, results, expected):
    """Returns a list of problems (empty: the run is as expected)."""
    problems = []
    tests = results.get("tests", [])
    status = {}
    for t in tests:
        test_id = t["name"].split(":", 1)[0].strip()
        status[test_id] = t["status"]
    failed = {i for i, s in status.items() if s != "passed"}
    passed = set(status) - failed
    sections = console_sections(text)
    marks = marks_by_id(text)

    if not status:
        problems.append("the Gradescope file lists no tests")
    errors = sorted(i for i, m in marks.items() if m == "ERROR")
    if errors:
        problems.append("the grader could not judge (ERROR): %s\n%s" % (
            " ".join(errors),
            "\n".join(indent(sections.get(i, "")) for i in errors)))
    if (rc == 0) != (not failed):
        problems.append("the grader exited with %d but %d test(s) failed"
                        % (rc, len(failed)))

    want, may = expected.get(args.name, (None, set()))
    if want is not None and args.only_listed:
        # Only `want` was graded (and the build): exact for those, and the
        # ids after `|` are checked against the lab's list instead.
        graded = set(status) - {"build"}
        if graded != want:
            problems.append("--only-listed graded %s, not the ids before `|`"
                            " (%s)" % (" ".join(sorted(graded)) or "nothing",
                                       " ".join(sorted(want))))
        status.update({i: "not graded" for i in may & lab_ids(args)})
    if want is None:
        problems.append("mutants/expected.txt has no line for %r; this run "
                        "failed:\n    %s: %s"
                        % (args.name, args.name, " ".join(sorted(failed))))
        return problems
    unknown = sorted((want | may) - set(status))
    if unknown:
        problems.append("expected.txt names ids the lab does not have (renamed "
                        "or removed tests?): %s" % " ".join(unknown))
    if args.name == "skeleton":
        may_pass = expected.get("skeleton-passes", (None, None))[0]
        if may_pass is None:
            problems.append("mutants/expected.txt has no 'skeleton-passes:' line")
        else:
            if (may_pass | want) != set(status) or (may_pass & want):
                problems.append(
                    "the 'skeleton:' and 'skeleton-passes:' lines must split "
                    "the lab's tests between them exactly; not listed: %s; "
                    "on both: %s" % (
                        " ".join(sorted(set(status) - may_pass - want)) or "-",
                        " ".join(sorted(may_pass & want)) or "-"))
        score = float(results.get("score", 0))
        max_score = float(results.get("max_score", 0))
        if max_score <= 0 or score > SKELETON_MAX_SHARE * max_score:
            problems.append("the skeleton scores %g of %g points, more than "
                            "%d%%" % (score, max_score,
                                      round(SKELETON_MAX_SHARE * 100)))

    escaped = sorted((want - failed) & set(status))
    unexpected = sorted(failed - want - may)
    if escaped:
        problems.append(
            "should have failed but PASSED (the mutant escaped these tests):\n"
            "    " + " ".join(escaped))
    if unexpected:
        problems.append(
            "failed but NOT expected to:\n    " + " ".join(unexpected) +
            "\n  The grader's output for each of them:\n" +
            "\n".join(indent(sections.get(i, "(no console section for %s)" % i))
                      for i in unexpected))
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lab", required=True,
                        help="the lab: pipeline, echo, threadpool")
    parser.add_argument("--ipclab", required=True, help="the ipclab binary")
    parser.add_argument("--source-dir", required=True,
                        help="the repository (holds reference/ and skeletons/)")
    parser.add_argument("--name", required=True,
                        help="mutant name, or 'reference' or 'skeleton'")
    parser.add_argument("--mutants-dir", default=None,
                        help="default: tests/LAB/mutants")
    parser.add_argument("--time-limit", type=float, default=120.0,
                        help="seconds the grading may take; longer means "
                             "the grader hung (default 120)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each test N times (ipclab --repeat)")
    parser.add_argument("--build-cache", default=None,
                        help="passed to ipclab grade --build-cache: a ccache "
                        "directory shared by the suite's gradings, so each "
                        "mutant compiles only the files its patch changed")
    parser.add_argument("--only-listed", action="store_true",
                        help="grade only the ids before `|` on NAME's line "
                             "(see above)")
    parser.add_argument("--show", action="store_true",
                        help="print the failed ids as an expected.txt line")
    parser.add_argument("--from-batch", default=None, metavar="OUT",
                        help="check the grading `ipclab batch` wrote to "
                             "OUT/NAME/ (tests/mutants/batch_mutants.py) "
                             "instead of grading")
    args = parser.parse_args()
    if args.mutants_dir is None:
        args.mutants_dir = os.path.join(HERE, "..", args.lab, "mutants")

    work = tempfile.mkdtemp(prefix="ipclab-mutant-%s-" % args.name)
    try:
        expected = {}
        if not args.show or args.only_listed:
            expected = read_expected(
                os.path.join(args.mutants_dir, "expected.txt"))
        only = ()
        if args.only_listed:
            only = expected.get(args.name, (set(), set()))[0]
            if not only:
                raise Problem("--only-listed: %r has no ids before `|` in "
                              "expected.txt" % args.name)
        if args.from_batch:
            rc, text, results, elapsed = from_batch(args)
        else:
            submission = prepare_submission(args, work)
            rc, text, results, elapsed = grade(args, work, submission, only)
        if args.show:
            failed = sorted(t["name"].split(":", 1)[0].strip()
                            for t in results.get("tests", [])
                            if t["status"] != "passed")
            errors = sorted(i for i, m in marks_by_id(text).items()
                            if m == "ERROR")
            print("%s: %s" % (args.name, " ".join(failed)))
            if args.repeat > 1:
                tally = re.compile(r"failed (\d+) of (\d+) runs")
                for t in results.get("tests", []):
                    m = tally.search(t.get("output", ""))
                    if t["status"] != "passed" and m:
                        print("  %s: failed %s of %s runs" % (
                            t["name"].split(":", 1)[0].strip(),
                            m.group(1), m.group(2)))
            print("(grader exit %d, %.1f s, score %s/%s)" % (
                rc, elapsed, results.get("score"), results.get("max_score")))
            if errors:
                print("grader ERROR in: " + " ".join(errors))
                return 1
            return 0
        problems = check(args, rc, text, results, expected)
    except Problem as e:
        problems = [str(e)]
        elapsed = None
    finally:
        shutil.rmtree(work, ignore_errors=True)

    if problems:
        print("MUTANT %s: MISMATCH" % args.name)
        for p in problems:
            print("- " + p)
        return 1
    print("MUTANT %s: as expected (%.1f s)" % (args.name, elapsed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
