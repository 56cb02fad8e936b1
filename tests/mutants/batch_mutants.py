#!/usr/bin/python3
"""Grades a lab's whole mutant suite as one class: `ipclab batch`.

    batch_mutants.py --lab LAB --ipclab BIN --source-dir REPO --out DIR
                     --time-limit SECONDS [--jobs N] [--build-cache DIR]
                     [--check-gradebook]

The submissions are what the mutant suite grades (reference/LAB, the
skeleton, each tests/LAB/mutants/NAME.patch applied to the reference) plus
the bundled example (examples/submission/LAB), each in DIR/subs/NAME. The
batch writes DIR/out; each ctest LAB.mutant.NAME then checks its own
grading there (run_mutant.py --from-batch). So every mutant is graded once,
and the batch is tested on the whole class, every run.

Without --check-gradebook (the ctest fixture LAB.mutants.batch): grade.
It fails only when the batch itself fails: a submission without a result.
A mutant graded wrongly is its own test's failure, not this one's.

With --check-gradebook (ctest LAB.mutants.gradebook, after the batch):
check DIR/out against each submission's own reports: every student has a
row, each row's score is its results.json's, each cell its junit.xml's
points, summary.json counts agree, and the reference has full marks.
Standard library only: run it with /usr/bin/python3.
"""

import argparse
import glob
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "batch"))
from batch_test import (check_against_own_reports, check_summary,  # noqa
                        read_gradebook)


def make_submissions(args, subs):
    src = os.path.abspath(args.source_dir)
    shutil.rmtree(subs, ignore_errors=True)
    os.makedirs(subs)
    names = []
    for name, where in [("reference", "reference"), ("skeleton", "skeletons"),
                        ("example", "examples/submission")]:
        shutil.copytree(os.path.join(src, where, args.lab),
                        os.path.join(subs, name))
        names.append(name)
    for patch in sorted(glob.glob(os.path.join(src, "tests", args.lab,
                                               "mutants", "*.patch"))):
        name = os.path.basename(patch)[:-len(".patch")]
        d = os.path.join(subs, name)
        shutil.copytree(os.path.join(src, "reference", args.lab), d)
        with open(patch, "rb") as f:
            r = subprocess.run(["patch", "-p1", "--quiet", "--batch"], cwd=d,
                               stdin=f, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
        if r.returncode != 0:
            # Left out: its own test reports that it has no result, and why
            # is here.
            print("%s does not apply (patch exit %d):\n%s"
                  % (patch, r.returncode, r.stdout.decode("utf-8", "replace")))
            shutil.rmtree(d)
            continue
        names.append(name)
    return names


def grade(args):
    subs = os.path.join(args.out, "subs")
    out = os.path.join(args.out, "out")
    names = make_submissions(args, subs)
    shutil.rmtree(out, ignore_errors=True)
    cmd = [os.path.abspath(args.ipclab), "batch", args.lab, subs,
           "--out", out, "--jobs", str(args.jobs),
           # As each mutant was measured when graded alone: two tests at
           # once. Much of a mutant's grading is waiting out the deadlines
           # of the tests it hangs, which costs no CPU.
           "--test-jobs", "2",
           "--time-per-submission", str(int(args.time_limit))]
    if args.build_cache:
        cmd += ["--build-cache", os.path.abspath(args.build_cache)]
    print("grading %d submissions of %s: %s" % (len(names), args.lab,
                                                " ".join(cmd)), flush=True)
    r = subprocess.run(cmd, cwd=os.path.abspath(args.source_dir))
    missing = [n for n in names
               if not os.path.exists(os.path.join(out, n, "record.json"))]
    if r.returncode != 0 or missing:
        print("FAIL: ipclab batch exited %d; no result for: %s"
              % (r.returncode, " ".join(missing) or "-"))
        return 1
    print("PASS: every submission has a result")
    return 0


def check_gradebook(args):
    out = os.path.join(args.out, "out")
    book = read_gradebook(out)
    subs = sorted(os.listdir(os.path.join(args.out, "subs")))
    if sorted(book) != subs:
        print("FAIL: gradebook rows %s, submissions %s" % (sorted(book), subs))
        return 1
    # A grading the budget or an error ended has no reports of its own: an
    # empty row with score 0 (its mutant's test says what happened).
    ended = {n: r for n, r in book.items()
             if r["state"] in ("timed out", "grading error")}
    for name, row in ended.items():
        tests = [v for k, v in row.items() if k not in
                 ("student", "state", "score", "max_score")]
        if float(row["score"]) != 0 or any(v != "" for v in tests):
            print("FAIL: %s (%s) has points in the gradebook"
                  % (name, row["state"]))
            return 1
    check_against_own_reports(out, {n: r for n, r in book.items()
                                     if n not in ended})
    check_summary(out, book)
    ref = book["reference"]
    if ref["state"] != "graded" or ref["score"] != ref["max_score"]:
        print("FAIL: the reference scored %s/%s (%s)"
              % (ref["score"], ref["max_score"], ref["state"]))
        return 1
    print("PASS: the gradebook of %d submissions agrees with each one's own "
          "junit.xml and results.json" % len(book))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lab", required=True)
    parser.add_argument("--ipclab", required=True)
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--time-limit", type=float, required=True,
                        help="each grading's budget (--time-per-submission)")
    parser.add_argument("--jobs", type=int, default=3)
    parser.add_argument("--build-cache", default=None)
    parser.add_argument("--check-gradebook", action="store_true")
    args = parser.parse_args()
    return check_gradebook(args) if args.check_gradebook else grade(args)


if __name__ == "__main__":
    sys.exit(main())
