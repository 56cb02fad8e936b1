#!/usr/bin/env python3
"""End-to-end test of `ipclab batch` on the pipeline lab.

Submissions: the reference, the skeleton, the example and three mutants
whose expected failures are certain (tests/pipeline/mutants/expected.txt,
lines without `|`). Checks:

1. gradebook.csv agrees with each student's own junit.xml and results.json,
   and with what each submission is known to score: the reference full
   marks, each mutant zero on exactly its listed tests and full points on
   every other, the skeleton only what `skeleton-passes` allows;
2. summary.json's pass rates agree with the gradebook;
3. a second run grades nothing (every result is reused) and changes no
   record;
4. the dashboard (index.html), opened in headless Chromium: the DOM it
   renders has histogram bars that add up to the number of submissions
   and one row per student, and a screenshot is taken;
5. four shards (--shard I/4) merged with `ipclab merge` give the same
   gradebook as the single batch, byte for byte;
6. a batch killed with SIGKILL once a first submission is finished, then
   resumed, ends with the same gradebook, byte for byte, and does not
   grade the finished submission again; nothing half-written is left.

Usage: batch_test.py IPCLAB SOURCE_DIR BUILD_CACHE
"""
import csv
import html.parser
import ctypes
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

MUTANTS = ["cd-in-child", "dup2-no-close", "exec-fail-always-127"]
PR_SET_CHILD_SUBREAPER = 36


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def expected_lines(source):
    lines = {}
    path = os.path.join(source, "tests/pipeline/mutants/expected.txt")
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or ":" not in line:
                continue
            name, ids = line.split(":", 1)
            if "|" in ids:
                continue
            lines[name.strip()] = set(ids.split())
    return lines


def make_submissions(source, root):
    subs = os.path.join(root, "subs")
    os.makedirs(subs)
    for name, where in [("reference", "reference/pipeline"),
                        ("skeleton", "skeletons/pipeline"),
                        ("example", "examples/submission/pipeline")]:
        shutil.copytree(os.path.join(source, where), os.path.join(subs, name))
    for name in MUTANTS:
        d = os.path.join(subs, name)
        shutil.copytree(os.path.join(source, "reference/pipeline"), d)
        patch = os.path.join(source, "tests/pipeline/mutants", name + ".patch")
        with open(patch, "rb") as f:
            subprocess.run(["patch", "-p1", "--quiet", "--batch"], cwd=d,
                           stdin=f, check=True)
    return subs


def batch_argv(args, subs, out, jobs):
    ipclab, _, cache = args
    return [ipclab, "batch", "pipeline", subs, "--out", out,
            "--jobs", str(jobs), "--build-cache", cache]


def read_gradebook(out):
    with open(os.path.join(out, "gradebook.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    return {row["student"]: row for row in rows}


def junit_points(path):
    points = {}
    for prop in ET.parse(path).getroot().iter("property"):
        name = prop.get("name")
        if name.startswith("points."):
            points[name[len("points."):]] = float(prop.get("value").split("/")[0])
    return points


def check_against_own_reports(out, book):
    for student, row in book.items():
        results = json.load(open(os.path.join(out, student, "results.json")))
        if abs(float(row["score"]) - results["score"]) > 1e-9:
            fail("%s: gradebook score %s, results.json %s"
                 % (student, row["score"], results["score"]))
        for test, pts in junit_points(os.path.join(out, student,
                                                   "junit.xml")).items():
            cell = row.get(test)
            if cell is None:
                fail("%s: no gradebook column for %s" % (student, test))
            if cell != "" and abs(float(cell) - pts) > 1e-9:
                fail("%s/%s: gradebook %s, junit %s"
                     % (student, test, cell, pts))


def check_known_scores(source, book):
    lines = expected_lines(source)
    tests = [c for c in next(iter(book.values())) if c not in
             ("student", "state", "score", "max_score")]
    ref = book["reference"]
    if ref["state"] != "graded" or ref["score"] != ref["max_score"]:
        fail("the reference scored %s/%s (%s)"
             % (ref["score"], ref["max_score"], ref["state"]))
    full = {t: ref[t] for t in tests}
    for name in MUTANTS:
        row = book[name]
        for t in tests:
            lost = row[t] != full[t]
            if lost != (t in lines[name]):
                fail("%s/%s: gradebook %s, expected %s"
                     % (name, t, row[t],
                        "fewer points" if t in lines[name] else full[t]))
    allowed = lines["skeleton-passes"]
    for t in tests:
        if book["skeleton"][t] == full[t] and full[t] not in ("", "0") \
                and t not in allowed:
            fail("skeleton: full points on %s" % t)
    if book["example"]["state"] != "graded":
        fail("example: state %s" % book["example"]["state"])


def check_summary(out, book):
    summary = json.load(open(os.path.join(out, "summary.json")))
    if len(summary["submissions"]) != len(book):
        fail("summary.json has %d submissions, the gradebook %d"
             % (len(summary["submissions"]), len(book)))
    for t in summary["tests"]:
        cells = [r[t["id"]] for r in book.values() if r[t["id"]] != ""]
        if t["ran"] != len(cells):
            fail("summary.json: %s ran %d times, the gradebook has %d cells"
                 % (t["id"], t["ran"], len(cells)))


class DashboardDom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.bars = []
        self.students = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "rect" and "bar" in (a.get("class") or "").split():
            self.bars.append(int(a["data-count"]))
        if tag == "tr" and "data-student" in a:
            self.students.append(a["data-student"])


def chromium(*args):
    # As root Chromium refuses to start without --no-sandbox; it only opens
    # a local file here. The rest keep it off the network: no component
    # updates, sync, metrics, pings or other background requests.
    argv = ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
            "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
            "--disable-domain-reliability", "--metrics-recording-only",
            "--no-pings", "--no-default-browser-check"] + list(args)
    try:
        return subprocess.run(argv, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    except FileNotFoundError:
        fail("chromium is not installed (scripts/install-deps.sh installs it)")


def check_dashboard(out, book, root):
    url = "file://" + os.path.join(out, "index.html")
    r = chromium("--dump-dom", url)
    if r.returncode != 0 or "<html" not in r.stdout:
        fail("chromium --dump-dom failed (%d):\n%s" % (r.returncode, r.stderr))
    dom = DashboardDom()
    dom.feed(r.stdout)
    if len(dom.bars) != 10 or sum(dom.bars) != len(book):
        fail("histogram bars %s do not add up to %d submissions"
             % (dom.bars, len(book)))
    if sorted(dom.students) != sorted(book):
        fail("student rows %s, gradebook %s" % (sorted(dom.students),
                                                sorted(book)))
    shot = os.path.join(root, "dashboard.png")
    r = chromium("--screenshot=" + shot, "--window-size=1200,1400", url)
    if r.returncode != 0 or not os.path.getsize(shot):
        fail("chromium --screenshot failed (%d):\n%s" % (r.returncode,
                                                         r.stderr))


def record_stamps(out):
    stamps = {}
    if not os.path.isdir(out):
        return stamps
    for student in os.listdir(out):
        rec = os.path.join(out, student, "record.json")
        if os.path.isfile(rec):
            st = os.stat(rec)
            stamps[student] = (st.st_ino, st.st_mtime_ns)
    return stamps


def run(argv):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=900)
    if r.returncode != 0:
        fail("%s exited %d:\n%s" % (" ".join(argv), r.returncode, r.stdout))
    return r.stdout


def wait_for_first_record(proc, out):
    """Observes OUT until a record.json exists (or the batch ends)."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and proc.poll() is None:
        if record_stamps(out):
            return
        time.sleep(0.05)
    fail("the batch finished no submission before it was to be killed")


def kill_and_resume(args, subs, root, book):
    out = os.path.join(root, "killed")
    proc = subprocess.Popen(batch_argv(args, subs, out, 1),
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    wait_for_first_record(proc, out)
    proc.kill()  # SIGKILL, to the batch we started, by pid.
    proc.wait()
    before = record_stamps(out)
    for student in before:
        json.load(open(os.path.join(out, student, "record.json")))
    text = run(batch_argv(args, subs, out, 2))
    if "(%d already graded)" % len(before) not in text:
        fail("the resumed batch did not reuse the %d finished results:\n%s"
             % (len(before), text))
    after = record_stamps(out)
    for student, stamp in before.items():
        if after.get(student) != stamp:
            fail("%s was graded again after the resume" % student)
    first = open(os.path.join(root, "out", "gradebook.csv")).read()
    again = open(os.path.join(out, "gradebook.csv")).read()
    if first != again:
        fail("the killed-and-resumed gradebook differs:\n%s\n---\n%s"
             % (first, again))


def shards_then_merge(args, subs, root):
    ipclab = args[0]
    shards = []
    for i in range(1, 5):
        out = os.path.join(root, "shard%d" % i)
        run(batch_argv(args, subs, out, 2) + ["--shard", "%d/4" % i])
        shards.append(out)
    merged = os.path.join(root, "merged")
    run([ipclab, "merge", "pipeline"] + shards + ["--out", merged])
    first = open(os.path.join(root, "out", "gradebook.csv")).read()
    again = open(os.path.join(merged, "gradebook.csv")).read()
    if first != again:
        fail("4 shards merged differ from one batch:\n%s\n---\n%s"
             % (first, again))
    full = [d for d in shards if record_stamps(d)][0]
    r = subprocess.run([ipclab, "merge", "pipeline", full, full,
                        "--out", os.path.join(root, "twice")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if r.returncode != 2 or "in both" not in r.stdout:
        fail("merging a shard with itself was not refused:\n" + r.stdout)


def end_leftovers():
    """Ends processes left to us as subreaper (a killed batch's gradings
    end by themselves; this only makes sure), by pid, and reaps them."""
    me = os.getpid()
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % pid) as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        if ppid == me:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass


def main():
    args = sys.argv[1:4]
    source = args[1]
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    with tempfile.TemporaryDirectory(prefix="ipclab-batch-") as root:
        try:
            subs = make_submissions(source, root)
            out = os.path.join(root, "out")
            run(batch_argv(args, subs, out, 2))
            book = read_gradebook(out)
            if sorted(book) != sorted(os.listdir(subs)):
                fail("gradebook rows %s, submissions %s"
                     % (sorted(book), sorted(os.listdir(subs))))
            check_against_own_reports(out, book)
            check_known_scores(source, book)
            check_summary(out, book)
            check_dashboard(out, book, root)
            stamps = record_stamps(out)
            text = run(batch_argv(args, subs, out, 2))
            if "Grading 0 of %d" % len(book) not in text:
                fail("the second run graded again:\n" + text)
            if record_stamps(out) != stamps:
                fail("the second run rewrote records")
            shards_then_merge(args, subs, root)
            kill_and_resume(args, subs, root, book)
        finally:
            end_leftovers()
    print("PASS: batch of %d submissions, resume and kill -9 resume"
          % (3 + len(MUTANTS)))


if __name__ == "__main__":
    main()
