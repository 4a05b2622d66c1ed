#!/usr/bin/env python3
"""Contract check: the sandbox's replies validate against Composio's published OpenAPI subset.

Starts `onboard sandbox serve` on a free port with a fresh database, drives every operation in
the subset under both /api/v3 and /api/v3.1 (successes and error replies), and validates each
JSON body against the response schema the spec declares for that status.

Usage: python3 contract/check_sandbox.py PATH/TO/onboard [PATH/TO/composio-openapi-subset.json]
"""
import json
import os
import sys

from openapi_schema_validator import OAS30Validator

from sandbox_process import KEY, Sandbox


def resolve(node, spec):
    """Inlines local $refs so each response schema validates on its own."""
    if isinstance(node, dict):
        if "$ref" in node:
            target = spec
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            return resolve(target, spec)
        return {k: resolve(v, spec) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(v, spec) for v in node]
    return node


def main():
    binary = sys.argv[1]
    spec_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "composio-openapi-subset.json")
    spec = json.load(open(spec_path))
    sandbox = Sandbox(binary)
    passed, failed = 0, 0

    def check(method, template, path, status, body=None, key=KEY, expect=None, org_key=None):
        nonlocal passed, failed
        actual, reply = sandbox.call(method, path, body, key, org_key=org_key)
        name = f"{method} {path} -> {actual}"
        if expect is not None and actual != expect:
            print(f"FAIL {name}: expected HTTP {expect}")
            failed += 1
            return reply
        spec_template = template.replace("/api/v3.1/", "/api/v3/")
        responses = spec["paths"][spec_template][method.lower()]["responses"]
        declared = responses.get(str(actual))
        if declared is None:
            print(f"FAIL {name}: status {actual} is not declared for {method} {spec_template}")
            failed += 1
            return reply
        schema = resolve(declared["content"]["application/json"]["schema"], spec)
        errors = sorted(OAS30Validator(schema).iter_errors(reply), key=lambda e: list(e.path))
        if errors:
            failed += 1
            print(f"FAIL {name}:")
            for error in errors[:5]:
                print(f"    at {'/'.join(map(str, error.path)) or '(root)'}: {error.message[:200]}")
        else:
            passed += 1
            print(f"ok   {name}")
        return reply

    try:
        org_key = sandbox.org_key(binary)
        for prefix in ["/api/v3", "/api/v3.1"]:
            check("GET", "/api/v3/auth/session/info", prefix + "/auth/session/info", 200, expect=200)
            check("GET", "/api/v3/auth/session/info", prefix + "/auth/session/info", 401, key="ak_wrong", expect=401)
            page = check("GET", "/api/v3/auth_configs", prefix + "/auth_configs?limit=5", 200, expect=200)
            check("GET", "/api/v3/auth_configs", prefix + "/auth_configs?cursor=" + (page.get("next_cursor") or ""), 200, expect=200)
            check("GET", "/api/v3/auth_configs", prefix + "/auth_configs", 401, key=None, expect=401)
            check("GET", "/api/v3/auth_configs", prefix + "/auth_configs?limit=x", 400, expect=400)
            configs = {c["toolkit"]["slug"]: c["id"] for c in sandbox.call("GET", prefix + "/auth_configs?limit=50")[1]["items"]}
            fresh = configs["freshdesk"]
            check("GET", "/api/v3/auth_configs/{nanoid}", prefix + "/auth_configs/" + fresh, 200, expect=200)
            check("GET", "/api/v3/auth_configs/{nanoid}", prefix + "/auth_configs/ac_missing", 404, expect=404)
            check("PATCH", "/api/v3/auth_configs/{nanoid}", prefix + "/auth_configs/" + configs["posthog"], 200,
                  body={"type": "custom", "shared_credentials": {"region": "eu"}}, expect=200)
            check("PATCH", "/api/v3/auth_configs/{nanoid}", prefix + "/auth_configs/" + fresh, 400, body={"type": "default"}, expect=400)
            check("GET", "/api/v3/toolkits/{slug}", prefix + "/toolkits/freshdesk", 200, expect=200)
            check("GET", "/api/v3/toolkits/{slug}", prefix + "/toolkits/google_bigquery", 200, expect=200)
            check("GET", "/api/v3/toolkits/{slug}", prefix + "/toolkits/nope", 404, expect=404)
            create = {"auth_config": {"id": fresh}, "connection": {"user_id": "contract-user", "state": {
                "authScheme": "API_KEY", "val": {"status": "ACTIVE", "subdomain": "acme", "generic_api_key": "abcdefABCDEF123456"}}}}
            created = check("POST", "/api/v3/connected_accounts", prefix + "/connected_accounts", 201, body=create, expect=201)
            account = created.get("id", "ca_missing")
            missing = {"auth_config": {"id": fresh}, "connection": {"user_id": "u", "state": {"authScheme": "API_KEY", "val": {"status": "ACTIVE"}}}}
            check("POST", "/api/v3/connected_accounts", prefix + "/connected_accounts", 400, body=missing, expect=400)
            managed = {"auth_config": {"id": configs["github"]}, "connection": {"user_id": "u", "state": {"authScheme": "OAUTH2", "val": {"status": "INITIALIZING"}}}}
            check("POST", "/api/v3/connected_accounts", prefix + "/connected_accounts", 400, body=managed, expect=400)
            check("GET", "/api/v3/connected_accounts", prefix + "/connected_accounts?user_ids=contract-user&statuses=ACTIVE", 200, expect=200)
            check("GET", "/api/v3/connected_accounts/{nanoid}", prefix + "/connected_accounts/" + account, 200, expect=200)
            link = check("POST", "/api/v3/connected_accounts/link", prefix + "/connected_accounts/link", 201,
                         body={"auth_config_id": configs["github"], "user_id": "contract-user"}, expect=201)
            check("GET", "/api/v3/connected_accounts/{nanoid}", prefix + "/connected_accounts/" + link.get("connected_account_id", "x"), 200, expect=200)
            check("POST", "/api/v3/connected_accounts/link", prefix + "/connected_accounts/link", 400, body={"user_id": "u"}, expect=400)
            # Update in place, aliases, enable and disable (2026).
            accounts = "/api/v3/connected_accounts/{nanoid}"
            check("PATCH", accounts, prefix + "/connected_accounts/" + account, 200, expect=200,
                  body={"alias": "work", "connection": {"state": {"authScheme": "API_KEY", "val": {"generic_api_key": "rotatedABCDEF123456", "subdomain": None}}}})
            other = check("POST", "/api/v3/connected_accounts", prefix + "/connected_accounts", 201, body=create, expect=201).get("id", "ca_missing")
            check("PATCH", accounts, prefix + "/connected_accounts/" + other, 409, body={"alias": "work"}, expect=409)
            check("PATCH", accounts, prefix + "/connected_accounts/" + other, 400, body={}, expect=400)
            check("PATCH", accounts, prefix + "/connected_accounts/ca_missing", 404, body={"alias": "x"}, expect=404)
            duplicate = dict(create, connection=dict(create["connection"], alias="work"))
            check("POST", "/api/v3/connected_accounts", prefix + "/connected_accounts", 400, body=duplicate, expect=400)
            status_path = "/api/v3/connected_accounts/{nanoId}/status"
            check("PATCH", status_path, prefix + "/connected_accounts/" + account + "/status", 200, body={"enabled": False}, expect=200)
            disabled = check("GET", accounts, prefix + "/connected_accounts/" + account, 200, expect=200)
            if disabled.get("status") != "INACTIVE" or disabled.get("is_disabled") is not True or disabled.get("alias") != "work":
                failed += 1
                print(f"FAIL disabled account reads back as {disabled.get('status')}, is_disabled {disabled.get('is_disabled')}, alias {disabled.get('alias')}")
            check("PATCH", status_path, prefix + "/connected_accounts/" + account + "/status", 200, body={"enabled": True}, expect=200)
            check("PATCH", status_path, prefix + "/connected_accounts/" + account + "/status", 400, body={}, expect=400)
            check("PATCH", status_path, prefix + "/connected_accounts/ca_missing/status", 404, body={"enabled": True}, expect=404)
            # OAuth tokens are never imported, whoever owns the OAuth app.
            tokens = {"auth_config": {"id": configs["gitlab"]}, "connection": {"user_id": "u", "state": {
                "authScheme": "OAUTH2", "val": {"status": "ACTIVE", "access_token": "gho_imported"}}}}
            check("POST", "/api/v3/connected_accounts", prefix + "/connected_accounts", 400, body=tokens, expect=400)
            # Tools (a key check) and the organisation's projects.
            check("GET", "/api/v3/tools", prefix + "/tools?toolkit_slug=github&limit=5", 200, expect=200)
            check("GET", "/api/v3/tools", prefix + "/tools", 401, key="ak_wrong", expect=401)
            check("GET", "/api/v3/tools", prefix + "/tools?limit=x", 400, expect=400)
            check("GET", "/api/v3/tools", prefix + "/tools?toolkit_slug=nope", 404, expect=404)
            check("GET", "/api/v3/org/owner/project/list", prefix + "/org/owner/project/list", 200, key=None, org_key=org_key, expect=200)
            check("GET", "/api/v3/org/owner/project/list", prefix + "/org/projects", 200, key=None, org_key=org_key, expect=200)
            check("GET", "/api/v3/org/owner/project/list", prefix + "/org/owner/project/list", 401, key=None, org_key="oak_wrong", expect=401)
            check("POST", "/api/v3/org/owner/project/new", prefix + "/org/owner/project/new", 200, key=None, org_key=org_key,
                  body={"name": "contract" + prefix.replace("/api/v3", "").replace(".", "-") + "-project", "should_create_api_key": True}, expect=200)
            check("POST", "/api/v3/org/owner/project/new", prefix + "/org/owner/project/new", 400, key=None, org_key=org_key,
                  body={"name": "no spaces allowed"}, expect=400)
            check("DELETE", "/api/v3/connected_accounts/{nanoid}", prefix + "/connected_accounts/" + account, 200, expect=200)
            check("GET", "/api/v3/connected_accounts/{nanoid}", prefix + "/connected_accounts/" + account, 404, expect=404)
    finally:
        sandbox.stop()
    print(f"contract: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
