#!/usr/bin/env python3
"""The manifest says what the code does: every target of Package.swift declares each module its
sources import (directly, not through another package's product) and nothing it does not import.

    python3 contract/check_manifest.py

SwiftPM's own import check does not see a module that arrives through another product (NIOCore
through AsyncHTTPClient), so this compares each target's `import` lines with its declared
dependencies. Exits 1 listing every difference.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Modules of the toolchain and the system, never declared in a manifest.
SYSTEM = {"Foundation", "FoundationEssentials", "Glibc", "Darwin", "Dispatch", "Synchronization", "Testing", "XCTest", "_Concurrency",
          "PackageDescription", "os"}


def targets(manifest):
    """(kind, name, path, declared modules) for each target in the manifest."""
    found = []
    for match in re.finditer(r"\.(target|testTarget|executableTarget|systemLibrary)\(", manifest):
        # The call's text, up to its closing parenthesis (strings hold none that matter here).
        depth, index = 1, match.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(manifest[index], 0)
            index += 1
        body = manifest[match.end():index - 1]
        kind = match.group(1)
        name = re.search(r'name:\s*"([^"]+)"', body).group(1)
        path_match = re.search(r'path:\s*"([^"]+)"', body)
        path = path_match.group(1) if path_match else os.path.join("Tests" if kind == "testTarget" else "Sources", name)
        declared = set()
        deps = re.search(r"dependencies:\s*\[", body)
        if deps:
            depth, index = 1, deps.end()
            while depth:
                depth += {"[": 1, "]": -1}.get(body[index], 0)
                index += 1
            text = body[deps.end():index - 1]
            declared |= set(re.findall(r'\.product\(name:\s*"([^"]+)"', text))
            text = re.sub(r"\.product\([^)]*\)", "", text)
            declared |= set(re.findall(r'"([^"]+)"', text))
        found.append((kind, name, path, declared))
    return found


def imports(path):
    modules = set()
    for directory, _, files in os.walk(os.path.join(ROOT, path)):
        if "__Snapshots__" in directory:
            continue
        for file in files:
            if file.endswith(".swift"):
                text = open(os.path.join(directory, file), encoding="utf-8").read()
                modules |= set(re.findall(r"^\s*(?:@\w+\s+)*import\s+(?:struct\s+|class\s+|enum\s+|func\s+)?(\w+)", text, re.M))
    return modules - SYSTEM


def main():
    manifest = open(os.path.join(ROOT, "Package.swift"), encoding="utf-8").read()
    problems = 0
    checked = 0
    for kind, name, path, declared in targets(manifest):
        if kind == "systemLibrary":
            continue
        checked += 1
        used = imports(path)
        for module in sorted(used - declared):
            print(f"FAIL {name} imports {module} but does not declare it")
            problems += 1
        for module in sorted(declared - used):
            print(f"FAIL {name} declares {module} but imports nothing of it")
            problems += 1
    print(f"manifest: {checked} targets checked, {problems} differences")
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
