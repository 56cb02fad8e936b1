#!/usr/bin/env python3
"""Reads the score from ipclab's results.json (Gradescope format) for CI.

    ci/score.py env RESULTS_JSON      IPCLAB_SCORE=..., IPCLAB_MAX_SCORE=...,
                                      IPCLAB_PERCENT=... (a dotenv file)
    ci/score.py percent RESULTS_JSON  the score in percent, two decimals

Only numbers are printed, never a string from the file: a dotenv report or
a log line built from them cannot carry anything a student's program wrote.
Exit 2 when the file is missing or not a results.json.
"""
import json
import math
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    score, max_score = doc["score"], doc["max_score"]
    for v in (score, max_score):
        if not isinstance(v, (int, float)) or not math.isfinite(v):
            raise ValueError("score is not a finite number")
    return float(score), float(max_score)


def number(v):
    return f"{v:.2f}".rstrip("0").rstrip(".")


def main(argv):
    if len(argv) != 3 or argv[1] not in ("env", "percent"):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        score, max_score = load(argv[2])
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"ci/score.py: {argv[2]}: {e}", file=sys.stderr)
        return 2
    percent = 100.0 * score / max_score if max_score > 0 else 0.0
    if argv[1] == "percent":
        print(f"{percent:.2f}")
    else:
        print(f"IPCLAB_SCORE={number(score)}")
        print(f"IPCLAB_MAX_SCORE={number(max_score)}")
        print(f"IPCLAB_PERCENT={percent:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
