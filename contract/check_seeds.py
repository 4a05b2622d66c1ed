#!/usr/bin/env python3
"""The documentation pages onboard was started from: every sample that talks to the API runs as
written against the sandbox and does what its page says.

The samples are read from the pages themselves (../shared/seeds beside the repository, or
SEEDS_DIR): Python samples are run with the official SDK, curl samples with curl. Only the
placeholders a reader replaces are replaced: the API key, the auth config id, the host.

Usage: python3 contract/check_seeds.py PATH/TO/onboard
"""
import json
import os
import re
import subprocess
import sys

from sandbox_process import KEY, Sandbox, Steps

SEEDS = os.environ.get("SEEDS_DIR") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "seeds")


def page(prefix):
    names = [name for name in os.listdir(SEEDS) if name.startswith(prefix)]
    if len(names) != 1:
        sys.exit(f"no seed page {prefix}_* in {SEEDS}")
    return open(os.path.join(SEEDS, names[0]), encoding="utf-8").read()


def python_samples(text):
    """Each `from composio import Composio` ... `print(...)` block, in page order."""
    samples = []
    for match in re.finditer(r"^from composio import Composio\n.*?^print\(.*?\)\n", text, re.S | re.M):
        samples.append(match.group(0))
    return samples


def curl_samples(text):
    """Each `curl ...` command with its continuation lines, joined into one line (the page text
    keeps some samples' line breaks and flattened others into `\  `)."""
    commands = [match.group(0) for match in re.finditer(r"^curl (?:[^\n]*\\\n)*[^\n]*", text, re.M)]
    return [re.sub(r"\\(\n|  )\s*", " ", command) for command in commands]


def main():
    sandbox = Sandbox(sys.argv[1])
    step = Steps()

    env = dict(os.environ, COMPOSIO_BASE_URL=sandbox.base, COMPOSIO_API_KEY=KEY, COMPOSIO_DISABLE_TELEMETRY="true")
    try:
        configs = {c["toolkit"]["slug"]: c["id"] for c in sandbox.call("GET", "/api/v3.1/auth_configs?limit=50")[1]["items"]}

        # 000: importing existing connections. The API-key sample is run against each toolkit the
        # page names; bearer and basic against a toolkit of that scheme.
        samples = python_samples(page("000"))
        assert len(samples) == 3, f"expected 3 Python samples on page 000, found {len(samples)}"
        targets = [("API key", samples[0], ["sendgrid", "tavily", "posthog"]), ("bearer token", samples[1], ["notion"]),
                   ("basic auth", samples[2], ["twilio"])]
        for label, sample, toolkits in targets:
            for toolkit in toolkits:
                def run(sample=sample, toolkit=toolkit):
                    code = sample.replace('"your-api-key"', repr(KEY)).replace('"ac_your_auth_config"', repr(configs[toolkit]))
                    code = code.replace('"user_123"', repr(f"seed-{toolkit}"))
                    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
                    assert result.returncode == 0, result.stderr[-600:]
                    match = re.search(r"Connected: (ca_\w+)", result.stdout)
                    assert match, result.stdout
                    status, account = sandbox.call("GET", "/api/v3.1/connected_accounts/" + match.group(1))
                    assert status == 200 and account["status"] == "ACTIVE", (status, account.get("status"))
                step(f"000 {label} sample, {toolkit}: ACTIVE at once", run)

        # 002: a project key in x-api-key or as a Bearer token; a bad key is 401; the org key.
        text = page("002")
        curls = curl_samples(text)
        assert len(curls) == 3, f"expected 3 curl samples on page 002, found {len(curls)}"
        org_key = subprocess.run([sys.argv[1], "sandbox", "keys", "create", "--org", "--db", os.path.join(sandbox.dir, "db.sqlite")],
                                 capture_output=True, text=True).stdout.split()[-1]

        def curl(command, extra_env):
            command = command.replace("https://backend.composio.dev", sandbox.base)
            result = subprocess.run(["bash", "-c", command + " -s -w '\\n%{http_code}'"], env=dict(env, **extra_env),
                                    capture_output=True, text=True, timeout=30)
            body, _, code = result.stdout.rpartition("\n")
            return int(code), json.loads(body or "null")

        def tools(command):
            def run():
                code, body = curl(command, {})
                assert code == 200, (code, body)
                assert isinstance(body.get("items"), list) and body.get("total_items") is not None, body
                code, body = curl(command, {"COMPOSIO_API_KEY": "ak_wrong"})
                assert code == 401, code
                assert body["error"]["message"] == "Invalid API key provided", body
            return run
        step("002 curl GET /tools with x-api-key (and 401 with a wrong key)", tools(curls[0]))
        step("002 curl GET /tools with Authorization: Bearer", tools(curls[1]))

        def org_projects():
            code, body = curl(curls[2], {"COMPOSIO_ORG_API_KEY": org_key})
            assert code == 200, (code, body)
            assert any(project["id"] == "pr_sandbox_default" for project in body["data"]), body
        step("002 curl GET /org/projects with x-org-api-key", org_projects)

        def requests_sample():
            block = re.search(r"^import os\nimport requests\n.*?^data = response\.json\(\)\n", text, re.S | re.M).group(0)
            code = block.replace("https://backend.composio.dev", sandbox.base) + "\nassert response.status_code == 200, response.text\nassert data['items'] == [] or data['items'][0]['toolkit']['slug'] == 'github'\nprint('ok')\n"
            result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
            assert result.returncode == 0 and "ok" in result.stdout, result.stderr[-600:]
        step("002 Python requests sample: GET /tools?toolkit_slug=github&limit=5", requests_sample)

        # 003: PATCH an auth config; what it is given is kept (the sample's body as written; the
        # page's Authorization section says the key goes in x-api-key).
        def patch_sample():
            command = curl_samples(page("003"))[0]
            config = configs["posthog"]
            command = command.replace("/auth_configs/string", "/auth_configs/" + config)
            command = command.replace('-H "Content-Type: application/json"', '-H "Content-Type: application/json" -H "x-api-key: $COMPOSIO_API_KEY"')
            code, body = curl(command, {})
            assert code == 200, (code, body)
            status, read = sandbox.call("GET", "/api/v3.1/auth_configs/" + config)
            assert read.get("restrict_to_following_tools") == ["tool1", "tool2"], read
            assert set(read.get("credentials", {})) >= {"api_key", "client_secret"}, read.get("credentials")
            assert "YOUR_NEW" not in json.dumps(read), "secrets are redacted on read"
            # Omitted fields are kept; null clears.
            sandbox.call("PATCH", "/api/v3.1/auth_configs/" + config, {"type": "custom", "is_enabled_for_tool_router": True})
            read = sandbox.call("GET", "/api/v3.1/auth_configs/" + config)[1]
            assert read.get("restrict_to_following_tools") == ["tool1", "tool2"] and read.get("is_enabled_for_tool_router") is True, read
            sandbox.call("PATCH", "/api/v3.1/auth_configs/" + config, {"type": "custom", "restrict_to_following_tools": None})
            read = sandbox.call("GET", "/api/v3.1/auth_configs/" + config)[1]
            assert not read.get("restrict_to_following_tools"), read
        step("003 curl PATCH /auth_configs/{nanoid}: credentials and tool restrictions kept", patch_sample)
    finally:
        sandbox.stop()
    return step.finish("seeds")


if __name__ == "__main__":
    sys.exit(main())
