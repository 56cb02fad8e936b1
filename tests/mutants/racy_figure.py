#!/usr/bin/python3
"""How reliably --repeat catches a lab's racy mutants.

    racy_figure.py --lab LAB [--gradings 20] [--repeat 5] [--only-listed]
                   [--name NAME ...]

Grades each racy mutant (tests/LAB/mutants/racy/NAME.patch) GRADINGS times
with run_mutant.py --repeat REPEAT, one grading at a time, and prints, per
mutant, in how many gradings it was caught as racy/expected.txt requires
(every id before `|` failed, nothing outside the line did). Run it idle and
under load (stress-ng --cpu 2) and record the figures in tests/LAB/README.md.
--only-listed grades only the ids before `|` on each mutant's line (see
run_mutant.py), as ctest does: the figure is then that of ctest's check.
Needs a built tree (build/bin/ipclab). Standard library only.
"""

import argparse
import glob
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lab", required=True)
    parser.add_argument("--gradings", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only-listed", action="store_true",
                        help="grade only the ids before `|` (run_mutant.py)")
    parser.add_argument("--name", action="append",
                        help="one racy mutant (default: all of the lab's)")
    parser.add_argument("--ipclab", default=os.path.join(REPO, "build", "bin",
                                                         "ipclab"))
    args = parser.parse_args()
    racy = os.path.join(REPO, "tests", args.lab, "mutants", "racy")
    names = args.name or sorted(
        os.path.basename(p)[:-len(".patch")]
        for p in glob.glob(os.path.join(racy, "*.patch")))
    if not names:
        print("no racy mutants in %s" % racy)
        return 1
    worst = None
    for name in names:
        caught, seconds = 0, []
        for i in range(args.gradings):
            start = time.monotonic()
            r = subprocess.run(
                ["/usr/bin/python3", os.path.join(HERE, "run_mutant.py"),
                 "--lab", args.lab, "--ipclab", args.ipclab,
                 "--source-dir", REPO, "--mutants-dir", racy,
                 "--repeat", str(args.repeat), "--time-limit", "1200",
                 "--name", name] + (["--only-listed"] if args.only_listed
                                    else []),
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            seconds.append(time.monotonic() - start)
            if r.returncode == 0:
                caught += 1
            else:
                print("  grading %d of %s: not as expected:\n%s"
                      % (i + 1, name, r.stdout.rstrip()), flush=True)
        print("%s.%s: caught in %d of %d gradings with --repeat %d%s "
              "(%.0f-%.0f s each, load average %s)"
              % (args.lab, name, caught, args.gradings, args.repeat,
                 " --only-listed" if args.only_listed else "", min(seconds),
                 max(seconds), open("/proc/loadavg").read().split()[0]),
              flush=True)
        worst = caught if worst is None else min(worst, caught)
    return 0 if worst * 20 >= 19 * args.gradings else 1


if __name__ == "__main__":
    sys.exit(main())
