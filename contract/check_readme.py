#!/usr/bin/env python3
"""Runs the commands the README shows, as written, against a fresh embedded sandbox.

    python3 contract/check_readme.py ONBOARD_BINARY

Every line of the README's ```sh blocks that runs `swift run onboard SUBCOMMAND` is run with the
built binary in place of `swift run onboard`, in a scratch directory with its own data dir.
Placeholders the README uses are filled with real values first: `ac_...` with the Freshdesk auth
config (Tavily's for `rotate`), `ca_...` with an account
made earlier, `$KEY` / `$NEW_KEY` with test keys, and the files it names (users.csv,
alice.json) are created. Lines that start the interactive wizard without a pipe, need Composio
itself, or name a file in your home directory are listed as skipped, with why. Each command
must exit 0. Prints one line per command; exits 1 if any failed.
"""

import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.abspath(sys.argv[1])


def sh_lines(readme):
    """The lines of ```sh blocks, with trailing comments dropped."""
    lines, inside = [], False
    for line in readme.splitlines():
        if line.startswith("```"):
            inside = line.strip() == "```sh"
            continue
        if inside and line.strip():
            lines.append(line.strip())
    return lines


def skip_reason(line):
    if "onboard" not in line or "swift run onboard" not in line:
        return "not an onboard command"
    if "COMPOSIO_API_KEY=ak_" in line or "backend.composio.dev" in line or "staging-backend" in line:
        return "talks to Composio itself"
    if "~/.config" in line or "$EDITOR" in line:
        return "uses a file in your home directory"
    after = line.split("swift run onboard", 1)[1].split("#")[0].strip()
    word = after.split()[0] if after else ""
    if "|" not in line.split("swift run onboard", 1)[0] and (not word or word.startswith("-")) and "--generate-completion-script" not in after:
        return "starts the interactive wizard"
    if word == "sandbox" and after.split()[1:2] == ["serve"]:
        return "serves until stopped (the contract checks run it)"
    if "--follow" in after:
        return "follows new events until Ctrl-C (the audit tests cover it)"
    if after.split()[:2] == ["gateway", "serve"]:
        return "serves until stopped (the gateway tests run it with the OpenSSH client)"
    if after.split()[:2] == ["invite", "watch"]:
        return "follows invites until Ctrl-C (the gateway tests cover it)"
    return None


def main():
    readme = open(os.path.join(ROOT, "README.md")).read()
    work = tempfile.mkdtemp(prefix="onboard-readme-")
    env = dict(os.environ, XDG_DATA_HOME=os.path.join(work, "data"), XDG_CONFIG_HOME=os.path.join(work, "config"),
               XDG_STATE_HOME=os.path.join(work, "state"),
               KEY="fd-readme-key-1234", NEW_KEY="fd-readme-key-5678", LANG="C.UTF-8")
    for name in ("COMPOSIO_API_KEY", "COMPOSIO_BASE_URL", "COMPOSIO_API_KEY_FILE"):
        env.pop(name, None)

    def onboard(*arguments, stdin=""):
        return subprocess.run([BINARY, *arguments], env=env, cwd=work, input=stdin, capture_output=True, text=True)

    configs = json.loads(onboard("auth-configs", "--json").stdout)
    freshdesk = next(config["id"] for config in configs if config["toolkit"] == "freshdesk")
    # rotate gives its config shared credentials; that config is Tavily's, so the others'
    # fields stay as the README's other lines expect.
    tavily = next(config["id"] for config in configs if config["toolkit"] == "tavily")
    made = json.loads(onboard("connect", "--auth-config", freshdesk, "--user-id", "readme-seed", "--field", "subdomain=acme",
                              "--secrets-stdin", "--json", stdin="generic_api_key=seed\n").stdout)
    account = made["account"]["id"]
    with open(os.path.join(work, "users.csv"), "w") as file:
        file.write("user_id,subdomain,generic_api_key\nreadme-1,acme,key-1\nreadme-2,acme,key-2\n")
    with open(os.path.join(work, "alice.json"), "w") as file:
        json.dump({"generic_api_key": "key-alice"}, file)
    os.chmod(os.path.join(work, "alice.json"), 0o600)

    def invite():
        return json.loads(onboard("invite", "create", "--auth-config", freshdesk, "--user-id", "readme-invite", "--json").stdout)["id"]

    failed = 0
    for line in sh_lines(readme):
        reason = skip_reason(line)
        if reason:
            if "onboard" in line:
                print(f"skip  {line}\n      ({reason})")
            continue
        command = line.split(" #")[0].strip()
        command = command.replace("swift run onboard", shlex.quote(BINARY))
        command = command.replace("ac_...", tavily if " rotate " in command else freshdesk).replace("ca_...", account)
        if "inv_..." in command:
            command = command.replace("inv_...", invite())
        if " rotate " in command and "--secrets-stdin" not in command:
            print(f"skip  {line}\n      (asks for the values with typing hidden)")
            continue
        if " accounts delete " in command:
            command = command.replace(account, json.loads(onboard("connect", "--auth-config", freshdesk, "--user-id", "readme-delete",
                                                                  "--field", "subdomain=acme", "--secrets-stdin", "--json",
                                                                  stdin="generic_api_key=d\n").stdout)["account"]["id"])
        result = subprocess.run(["bash", "-c", command], env=env, cwd=work, capture_output=True, text=True, timeout=120)
        status = "ok  " if result.returncode == 0 else "FAIL"
        print(f"{status}  {line}")
        if result.returncode != 0:
            failed += 1
            print("      exit", result.returncode, (result.stderr or result.stdout)[-600:])
    print(f"{failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
