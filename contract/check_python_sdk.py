#!/usr/bin/env python3
"""The official Composio Python SDK, pointed at the sandbox with base_url, does what onboard's
users do: list auth configs, read initiation fields, initiate API-key, bearer and basic
connections, wait for them, list and delete them, and create a link.

Usage: python3 contract/check_python_sdk.py PATH/TO/onboard
"""
import os
import sys

os.environ.setdefault("COMPOSIO_DISABLE_TELEMETRY", "true")

from composio import Composio  # noqa: E402
from composio.core.models.connected_accounts import auth_scheme  # noqa: E402

from sandbox_process import KEY, Sandbox  # noqa: E402


def main():
    sandbox = Sandbox(sys.argv[1])
    passed, failed = 0, 0

    def step(name, action):
        nonlocal passed, failed
        try:
            result = action()
            passed += 1
            print(f"ok   {name}")
            return result
        except Exception as error:  # report every failing step, not just the first
            failed += 1
            print(f"FAIL {name}: {type(error).__name__}: {str(error)[:300]}")
            return None

    try:
        composio = Composio(api_key=KEY, base_url=sandbox.base)
        configs = step("auth_configs.list", lambda: composio.auth_configs.list(limit=50))
        ids = {item.toolkit.slug: item.id for item in (configs.items if configs else [])}
        assert len(ids) >= 15, f"only {len(ids)} toolkits listed"

        def fields():
            found = composio.toolkits.get_connected_account_initiation_fields(toolkit="freshdesk", auth_scheme="API_KEY")
            names = [field.name for field in found]
            assert names == ["subdomain", "generic_api_key"], names
        step("toolkits.get_connected_account_initiation_fields", fields)

        created = []

        def connect(name, config, state):
            def action():
                request = composio.connected_accounts.initiate(user_id="sdk-user", auth_config_id=ids[config], config=state, allow_multiple=True)
                account = request.wait_for_connection(timeout=10)
                assert account.status == "ACTIVE", account.status
                created.append(account.id)
            step(name, action)

        connect("initiate API_KEY + wait", "freshdesk", auth_scheme.api_key({"subdomain": "acme", "generic_api_key": "abcdefABCDEF123456"}))
        connect("initiate BEARER_TOKEN + wait", "notion", auth_scheme.bearer_token({"token": "ntn_abcdefghijklmnopqrstuv"}))
        connect("initiate BASIC + wait", "twilio", auth_scheme.basic({"username": "AC" + "0" * 32, "password": "f" * 32}))

        def listing():
            page = composio.connected_accounts.list(user_ids=["sdk-user"])
            listed = {item.id for item in page.items}
            assert set(created) <= listed, (created, listed)
        step("connected_accounts.list(user_ids=...)", listing)

        def delete():
            composio.connected_accounts.delete(created[0])
            remaining = {item.id for item in composio.connected_accounts.list(user_ids=["sdk-user"]).items}
            assert created[0] not in remaining
        step("connected_accounts.delete", delete)

        def link():
            request = composio.connected_accounts.link(user_id="sdk-link-user", auth_config_id=ids["github"])
            assert request.redirect_url and "/link/" in request.redirect_url, request.redirect_url
            assert composio.connected_accounts.get(request.id).status == "INITIATED"
        step("connected_accounts.link", link)
    finally:
        sandbox.stop()
    print(f"python-sdk: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
