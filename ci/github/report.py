#!/usr/bin/env python3
"""Turns ipclab's results into what GitHub Actions shows (ci/github/grade.sh).

    ci/github/report.py RESULTS_DIR SUBMISSION_PATH

RESULTS_DIR holds junit.xml and results.json; SUBMISSION_PATH is where the
submission is in the repository (annotations name files relative to the
repository). It prints at most 10 `::error file=...,line=...::` annotations,
one per failed test, appends a Markdown job summary (score, a table of
tests, the first failure's explanation; at most 1 MiB) to the file
$GITHUB_STEP_SUMMARY names, and appends the step outputs score, max-score,
percent and result (GitHub Classroom's version-1 result, base64) to
$GITHUB_OUTPUT.

Nothing a student's program wrote reaches a workflow command: annotations
carry only our one-line failure message, escaped as GitHub documents, and
the summary shows student text inside a Markdown fence with every line that
would read as a command (`::...`) broken by a zero-width space.
"""
import base64
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

MAX_ANNOTATIONS = 10  # GitHub keeps 10 error annotations per step.
MAX_SUMMARY = 1024 * 1024  # GitHub rejects a larger step summary.


def escape_data(s):
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s):
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def defuse(text):
    """Lines that start with `::` (after blanks) read as workflow commands."""
    return re.sub(r"(?m)^([ \t]*):(?=:)", "\\1:\u200b", text)


def number(v):
    return f"{v:.2f}".rstrip("0").rstrip(".")


def cases(junit_path):
    out = []
    for case in ET.parse(junit_path).getroot().iter("testcase"):
        bad = case.find("failure")
        if bad is None:
            bad = case.find("error")
        out.append({
            "name": case.get("name", ""),
            "file": case.get("file"),
            "line": case.get("line"),
            "message": None if bad is None else (bad.get("message") or ""),
        })
    return out


def annotations(junit_cases, submission):
    lines = []
    for c in junit_cases:
        if c["message"] is None or len(lines) == MAX_ANNOTATIONS:
            continue
        where = ""
        if c["file"]:
            path = os.path.normpath(os.path.join(submission, c["file"]))
            where = (f" file={escape_property(path)},"
                     f"line={escape_property(c['line'] or '1')},"
                     f"title={escape_property(c['name'])}")
        lines.append(f"::error{where}::{escape_data(c['name'] + ': ' + c['message'])}")
    return lines


def summary(results):
    tests = results.get("tests", [])
    score, max_score = results["score"], results["max_score"]
    out = [f"## ipclab: {number(score)} / {number(max_score)} points", "",
           "| | test | points |", "| --- | --- | --- |"]
    for t in tests:
        mark = ":white_check_mark:" if t["status"] == "passed" else ":x:"
        name = t["name"].replace("|", "\\|")
        out.append(f"| {mark} | {name} | {number(t['score'])}/{number(t['max_score'])} |")
    first = next((t for t in tests if t["status"] == "failed"), None)
    if first is not None:
        out += ["", f"### First failure: {first['name']}", "",
                defuse(first.get("output", ""))]
    text = "\n".join(out) + "\n"
    if len(text.encode()) > MAX_SUMMARY:  # Never reached by a capped report.
        text = text.encode()[:MAX_SUMMARY - 100].decode(errors="ignore")
        text += "\n\n(summary cut at GitHub's 1 MiB limit)\n"
    return text


def classroom_result(results):
    """GitHub Classroom's grader result (version 1), per-test scores."""
    tests = [{"name": t["name"], "status": "pass" if t["status"] == "passed" else "fail",
              "score": t["score"], "line_no": 0, "duration": 0,
              "message": "", "test_code": "", "filename": ""}
             for t in results.get("tests", [])]
    status = "pass" if all(t["status"] == "pass" for t in tests) else "fail"
    doc = {"version": 1, "status": status, "max_score": results["max_score"],
           "tests": tests}
    return base64.b64encode(json.dumps(doc).encode()).decode()


def append(env, text):
    path = os.environ.get(env)
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(text)


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    results_dir, submission = argv[1], argv[2]
    try:
        with open(os.path.join(results_dir, "results.json"), encoding="utf-8") as f:
            results = json.load(f)
        junit_cases = cases(os.path.join(results_dir, "junit.xml"))
    except (OSError, ValueError, ET.ParseError) as e:
        print(f"ci/github/report.py: {e}", file=sys.stderr)
        return 2
    for line in annotations(junit_cases, submission):
        print(line)
    append("GITHUB_STEP_SUMMARY", summary(results))
    score, max_score = results["score"], results["max_score"]
    percent = 100.0 * score / max_score if max_score > 0 else 0.0
    append("GITHUB_OUTPUT", f"score={number(score)}\nmax-score={number(max_score)}\n"
           f"percent={percent:.2f}\nresult={classroom_result(results)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
