#!/usr/bin/env python3
"""Every wait and every timestamp goes through the injected clock (a Timekeeper), so each rule
that waits runs on virtual time in its tests.

    python3 contract/check_clock.py

Outside the clocks' own files, no source reads the machine's clock or sleeps on it directly:
no `Date()`, no `Date.now` or bare `.now` (the static members; `timekeeper.now`, read through an
injected clock, is the point), no `ContinuousClock`, no `Task.sleep`. Exits 1 listing each line.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The real clock and the virtual one: the only places the machine's time is read.
CLOCK_FILES = {"Sources/OnboardCore/Timekeeper.swift", "Sources/OnboardTestSupport/ManualTimekeeper.swift"}
FORBIDDEN = [
    (re.compile(r"\bDate\(\)"), "Date()"),
    (re.compile(r"\bDate\.now\b"), "Date.now"),
    (re.compile(r"\bContinuousClock\b"), "ContinuousClock"),
    (re.compile(r"\bSuspendingClock\b"), "SuspendingClock"),
    (re.compile(r"\bTask\.sleep\b"), "Task.sleep"),
    # `.now` as a static member: after a space, a bracket, an operator or a comma, not after a
    # name (timekeeper.now, state.now are values read through the clock or the state).
    (re.compile(r"(?<![\w)\]])\.now\b(?!\()"), ".now"),
]


def main():
    problems = 0
    for directory, _, files in os.walk(os.path.join(ROOT, "Sources")):
        for file in sorted(files):
            if not file.endswith(".swift"):
                continue
            path = os.path.relpath(os.path.join(directory, file), ROOT)
            if path in CLOCK_FILES:
                continue
            for number, line in enumerate(open(os.path.join(ROOT, path), encoding="utf-8"), 1):
                code = line.split("//", 1)[0]
                for pattern, name in FORBIDDEN:
                    if pattern.search(code):
                        print(f"FAIL {path}:{number}: {name} outside the clock: {line.strip()}")
                        problems += 1
    print(f"clock: {problems} direct reads of the machine's clock")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
