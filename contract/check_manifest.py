#!/usr/bin/env python3
"""The manifest says what the code does, and draws the architecture.

    python3 contract/check_manifest.py

1. Every target of Package.swift declares each module its sources import (directly, not through
   another package's product) and nothing it does not import. SwiftPM's own import check does not
   see a module that arrives through another product (NIOCore through AsyncHTTPClient).
2. Each of the project's own targets depends only on the layers below it (LAYERS): a forbidden
   edge fails, and so does a new target nobody placed.
3. Every command of `onboard` is a file in Sources/onboard/Commands, named after it; nothing
   else there and no command elsewhere.
4. The features layer prints nothing: no stdout, stderr or terminal of its own (it returns typed
   results, and tells progress as typed values; the command renders them).

Exits 1 listing every problem.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Modules of the toolchain and the system, never declared in a manifest.
SYSTEM = {"Foundation", "FoundationEssentials", "Glibc", "Darwin", "Dispatch", "Synchronization", "Testing", "XCTest", "_Concurrency",
          "PackageDescription", "os"}


# The project's own modules each of its targets may depend on. Products of other packages are
# not listed: rule 1 keeps those honest.
LAYERS = {
    # Pure, no I/O: the wizard's pages, models, validation.
    "OnboardCore": set(),
    "OnboardFiles": set(),
    "OnboardSQLite": {"OnboardFiles"},
    "OnboardStore": {"OnboardCore", "OnboardFiles", "OnboardSQLite"},
    "ComposioAPI": {"OnboardCore"},
    "ComposioSandbox": {"ComposioAPI", "OnboardCore", "OnboardFiles", "OnboardSQLite"},
    "OnboardTUI": {"OnboardCore"},
    "OnboardProcess": {"CProcess", "CSpawn"},
    "OnboardCurses": {"CNcursesw", "OnboardTUI", "OnboardCore", "OnboardProcess"},
    "OnboardGateway": {"OnboardCore", "OnboardFiles", "OnboardProcess", "OnboardStore"},
    # The one loop and its front ends: no backend choice, no store, no argument parsing.
    "OnboardRuntime": {"OnboardCore", "OnboardTUI", "OnboardCurses", "ComposioAPI", "OnboardFiles"},
    # Connect, import, accounts, rotate, invites, audit: no terminal, curses, runtime or live wiring.
    "OnboardFeatures": {"OnboardCore", "OnboardTUI", "ComposioAPI", "OnboardFiles", "OnboardStore"},
    # Which backend, store and paths; the auditing decorator; the gateway's and wizard's wiring.
    "OnboardLive": {"OnboardCore", "OnboardTUI", "OnboardCurses", "OnboardRuntime", "OnboardFeatures", "ComposioAPI", "ComposioSandbox",
                    "OnboardFiles", "OnboardStore", "OnboardGateway", "OnboardProcess"},
    # The executable: parses, calls a feature through the live layer, renders its result as
    # text (through the terminal-safe text of OnboardTUI) or JSON.
    "onboard": {"OnboardCore", "OnboardFeatures", "OnboardLive", "OnboardRuntime", "OnboardProcess", "ComposioAPI", "ComposioSandbox",
                "OnboardGateway", "OnboardStore", "OnboardTUI"},
    "OnboardTestSupport": {"OnboardCore", "ComposioAPI", "ComposioSandbox", "OnboardTUI"},
    "audit-stress": {"OnboardStore"},
    "confine-probe": {"OnboardProcess"},
}
# What a feature may not use: a terminal or the process's own output of its own.
PRINTING = re.compile(r"\b(print\(|STDOUT_FILENO|STDERR_FILENO|FileHandle\.standardOutput|FileHandle\.standardError|isatty\(|readLine\(|"
                      r"EchoOffPrompt|CommandOutput)")


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
    problems += check_layers(targets(manifest))
    problems += check_commands()
    problems += check_features_print_nothing()
    print(f"manifest: {checked} targets checked, {problems} problems")
    return 1 if problems or checked == 0 else 0


def check_layers(found):
    """Rule 2: each own target depends only on what its layer allows."""
    problems = 0
    own = {name for kind, name, _, _ in found}
    for kind, name, _, declared in found:
        if kind in ("testTarget", "systemLibrary"):
            continue
        if name not in LAYERS:
            print(f"FAIL {name} is in no layer: place it in LAYERS in contract/check_manifest.py")
            problems += 1
            continue
        for module in sorted((declared & own) - LAYERS[name]):
            print(f"FAIL {name} depends on {module}, which its layer may not")
            problems += 1
    return problems


def check_commands():
    """Rule 3: one file per command in Sources/onboard/Commands, and commands nowhere else."""
    problems = 0
    base = os.path.join(ROOT, "Sources", "onboard")
    command = re.compile(r"^(?:@main\s*\n)?struct (\w+): (?:Async)?ParsableCommand", re.M)
    for directory, _, files in os.walk(base):
        for file in files:
            if not file.endswith(".swift"):
                continue
            path = os.path.join(directory, file)
            relative = os.path.relpath(path, ROOT)
            top = command.findall(open(path, encoding="utf-8").read())
            in_commands = os.path.dirname(relative) == os.path.join("Sources", "onboard", "Commands")
            if relative == os.path.join("Sources", "onboard", "Onboard.swift"):
                top = [name for name in top if name != "Onboard"]
            for name in top:
                if not in_commands:
                    print(f"FAIL {relative}: the command {name} belongs in Sources/onboard/Commands/{name}.swift")
                    problems += 1
                elif file != name + ".swift":
                    print(f"FAIL {relative}: holds the command {name}; name the file {name}.swift")
                    problems += 1
            if in_commands and not top:
                print(f"FAIL {relative}: Sources/onboard/Commands holds commands only")
                problems += 1
    return problems


def check_features_print_nothing():
    """Rule 4: no feature writes to a terminal or the process's output itself."""
    problems = 0
    base = os.path.join(ROOT, "Sources", "OnboardFeatures")
    for directory, _, files in os.walk(base):
        for file in files:
            if not file.endswith(".swift"):
                continue
            path = os.path.join(directory, file)
            for number, line in enumerate(open(path, encoding="utf-8"), 1):
                code = line.split("//", 1)[0]
                match = PRINTING.search(code)
                if match:
                    print(f"FAIL {os.path.relpath(path, ROOT)}:{number}: a feature prints ({match.group(1)}): return what it found and let the command render it")
                    problems += 1
    return problems


if __name__ == "__main__":
    sys.exit(main())
