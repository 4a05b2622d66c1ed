#!/usr/bin/env python3
"""Writes the release binary's code layout: the input sections the wizard runs, laid out first.

    release/hot_text.py MAP BINARY OUT     # run by release/build.sh; needs valgrind and tmux

The kernel maps a binary's code in 64 KiB runs around each page a process executes, so code
spread over the whole binary makes every run resident in tens of megabytes. release/build.sh
links the binary once with a link map (MAP); this script drives that BINARY under valgrind's
callgrind through a whole API-key connection on a fresh embedded sandbox (list, filter, fields,
masked key, reveal, review, connect, ACTIVE), maps every executed instruction to the input
section that holds it, and writes a linker script (OUT) that places those sections in
`.text.hot`, ahead of the rest; build.sh then links again with it. Sections are named by object
(and archive member), so functions the compiler left without a symbol are kept too. Made at
every release build, the layout always matches the sources, dependencies and compiler it is for.
"""

import bisect
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter

SECTION_LINE = re.compile(r"\s*([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\d+\s+(/\S*:\(.*\))$")


def text_sections(map_path):
    """(start, size, 'object:(section)') for each input section of the output section .text."""
    sections, inside = [], False
    with open(map_path) as lines:
        for line in lines:
            fields = line.split()
            if len(fields) >= 5 and fields[4] in (".text", ".text.hot"):
                inside = True
                continue
            if inside and len(fields) >= 5 and fields[4].startswith(".") and not fields[4].startswith(".text"):
                break
            found = SECTION_LINE.match(line.rstrip("\n")) if inside else None
            if found:
                sections.append((int(found.group(1), 16), int(found.group(2), 16), found.group(3)))
    sections.sort()
    return sections


def symbol_addresses(binary):
    """Function symbol -> address, from the binary's symbol table."""
    listing = subprocess.run(["nm", "--defined-only", binary], check=True, capture_output=True, text=True).stdout
    found = {}
    for line in listing.splitlines():
        fields = line.split(" ", 2)
        if len(fields) == 3 and fields[1] in "tTwW":
            found[fields[2]] = int(fields[0], 16)
    return found


def executed_addresses(callgrind_out, binary):
    """Instruction addresses (the binary's own) that callgrind saw executed (--dump-instr=yes).

    valgrind sometimes files the binary's code under an unnamed object "???", with load-time
    addresses instead of the binary's; the load offset is then found from the functions' symbols.
    """
    objects, current, address = {}, None, 0
    named, unnamed, first_of_function = set(), set(), []
    function, new_function = None, False
    with open(callgrind_out) as lines:
        for line in lines:
            if line.startswith(("ob=", "cob=")):
                found = re.match(r"c?ob=\((\d+)\)(?: (.*))?", line.strip())
                if found.group(2):
                    objects[found.group(1)] = found.group(2)
                if line.startswith("ob="):
                    current = objects.get(found.group(1))
                continue
            if line.startswith("fn="):
                found = re.match(r"fn=\((\d+)\)(?: (.*))?", line.strip())
                if found.group(2):
                    objects["fn" + found.group(1)] = found.group(2)
                function, new_function = objects.get("fn" + found.group(1)), True
                continue
            if not line[:1] or line[0] not in "0123456789+-*":
                continue
            token = line.split()[0]
            if token.startswith("0x"):
                address = int(token, 16)
            elif token[0] in "+-":
                step = int(token[1:], 16) if token[1:].startswith("0x") else int(token[1:])
                address += step if token[0] == "+" else -step
            if current and os.path.basename(current) == os.path.basename(binary):
                named.add(address)
            elif current == "???":
                unnamed.add(address)
                if new_function and function:
                    first_of_function.append((function, address))
            new_function = False
    if unnamed:
        symbols = symbol_addresses(binary)
        offsets = Counter(address - symbols[name] for name, address in first_of_function if name in symbols)
        if offsets:
            offset = offsets.most_common(1)[0][0]
            named |= {address - offset for address in unnamed}
    return named


def pattern(input_section):
    """A linker-script input section description for 'object:(section)'."""
    path, section = re.match(r"(.*):\((.*)\)$", input_section).groups()
    member = re.match(r".*/(lib[^/]*\.a)\((.*)\)$", path)
    where = f"*{member.group(1)}:{member.group(2)}" if member else "*/" + "/".join(path.split("/")[-2:])
    return f"    {where}({section})"


def drive_wizard(binary, workdir):
    """Runs the wizard under callgrind in tmux through a whole connection; returns the profile."""
    profile = os.path.join(workdir, "callgrind.out.%p")
    session = f"hot-text-{os.getpid()}"
    env = f"env XDG_DATA_HOME={workdir}/data TERM=xterm-256color LANG=C.UTF-8"
    command = f"{env} valgrind --tool=callgrind --dump-instr=yes --callgrind-out-file={profile} {binary} 2>{workdir}/valgrind.log"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24", command], check=True)

    def screen():
        return subprocess.run(["tmux", "capture-pane", "-t", session, "-p"], capture_output=True, text=True).stdout

    def wait_for(text, timeout=120):
        end = time.time() + timeout
        while text not in screen():
            if time.time() > end:
                raise SystemExit(f"hot_text: {text!r} never appeared; the screen was:\n{screen()}")
            time.sleep(0.5)

    def keys(*names, settle=2.0):
        subprocess.run(["tmux", "send-keys", "-t", session, *names], check=True)
        time.sleep(settle)

    try:
        wait_for("auth configs")
        keys("-l", "fresh")
        wait_for("1 of 21")
        keys("Enter")
        wait_for("Subdomain")
        keys("Enter")
        keys("-l", "acme")
        keys("Tab")
        keys("-l", "s3cret-value-0123")
        wait_for("17 characters")
        keys("C-r")
        keys("C-r")
        keys("Enter")
        wait_for("Review")
        keys("Enter")
        wait_for("Connected")
        keys("Enter", settle=0)
        end = time.time() + 120
        while subprocess.run(["tmux", "has-session", "-t", session], capture_output=True).returncode == 0 and time.time() < end:
            time.sleep(0.5)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    # The wizard's own process wrote the largest profile.
    profiles = [os.path.join(workdir, name) for name in os.listdir(workdir) if name.startswith("callgrind.out.")]
    return max(profiles, key=os.path.getsize)


def main():
    if len(sys.argv) != 4:
        raise SystemExit("usage: release/hot_text.py MAP BINARY OUT")
    link_map, binary, out = sys.argv[1:]
    with tempfile.TemporaryDirectory() as workdir:
        # valgrind cannot read the DWARF of a binary this size; symbols and addresses stay.
        stripped = os.path.join(workdir, "onboard")
        subprocess.run(["strip", "--strip-debug", "-o", stripped, binary], check=True)
        profile = drive_wizard(stripped, workdir)
        sections = text_sections(link_map)
        executed = executed_addresses(profile, stripped)
        if not sections or len(executed) < 10000:
            with open(os.path.join(workdir, "valgrind.log")) as log:
                raise SystemExit(f"hot_text: the profile is too thin ({len(sections)} sections in the map, "
                                 f"{len(executed)} addresses run); valgrind said:\n{log.read()}")
        starts = [start for start, _, _ in sections]
        hot = {}
        for address in sorted(executed):
            index = bisect.bisect_right(starts, address) - 1
            if index >= 0 and address < sections[index][0] + sections[index][1]:
                hot.setdefault(sections[index][2], sections[index][1])
    lines = ["/* Made by release/hot_text.py at this build: code the wizard runs, laid out together. */",
             "SECTIONS {", "  .text.hot : {"] + [pattern(name) for name in hot] + ["  }", "}", "INSERT BEFORE .text;"]
    with open(out, "w") as script:
        script.write("\n".join(lines) + "\n")
    print(f"hot_text: {len(hot)} sections, {sum(hot.values()) / 1048576:.1f} MiB of code laid out first", file=sys.stderr)


if __name__ == "__main__":
    main()
