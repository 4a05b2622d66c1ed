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

from sandbox_process import KEY, Sandbox, Steps  # noqa: E402


def main():
    sandbox = Sandbox(sys.argv[1])
    step = Steps()

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

        # 2026: update in place, aliases, enable/disable, bearer tokens on an OAuth toolkit.
        def update_in_place():
            request = composio.connected_accounts.initiate(
                user_id="sdk-update", auth_config_id=ids["freshdesk"], alias="helpdesk",
                config=auth_scheme.api_key({"subdomain": "acme", "generic_api_key": "abcdefABCDEF123456"}))
            account = request.wait_for_connection(timeout=10)
            reply = composio.connected_accounts.update(
                account.id, alias="support", connection={"state": {"authScheme": "API_KEY", "val": {"generic_api_key": "rotatedROTATED123456"}}})
            assert reply.success and reply.id == account.id and reply.status == "ACTIVE", reply
            read = composio.connected_accounts.get(account.id)
            assert read.alias == "support", read.alias
            val = read.state.val.to_dict() if hasattr(read.state.val, "to_dict") else dict(read.state.val)
            assert val.get("generic_api_key") == "REDACTED" and val.get("subdomain") == "acme", val
        step("connected_accounts.update (credentials and alias in place)", update_in_place)

        def duplicate_alias():
            request = composio.connected_accounts.initiate(
                user_id="sdk-update", auth_config_id=ids["freshdesk"], allow_multiple=True,
                config=auth_scheme.api_key({"subdomain": "acme", "generic_api_key": "abcdefABCDEF654321"}))
            try:
                composio.connected_accounts.update(request.id, alias="support")
            except Exception as error:  # the client raises its 409 error
                assert "409" in str(error) or "Conflict" in type(error).__name__, error
            else:
                raise AssertionError("a duplicate alias was accepted")
        step("connected_accounts.update with a taken alias: 409", duplicate_alias)

        def enable_disable():
            account_id = created[-1]
            composio.connected_accounts.disable(account_id)
            read = composio.connected_accounts.get(account_id)
            assert read.status == "INACTIVE" and read.is_disabled, (read.status, read.is_disabled)
            composio.connected_accounts.enable(account_id)
            assert composio.connected_accounts.get(account_id).status == "ACTIVE"
        step("connected_accounts.disable / enable", enable_disable)

        def bearer_on_oauth_toolkit():
            config = composio.auth_configs.create("github", {"type": "use_custom_auth", "auth_scheme": "BEARER_TOKEN", "name": "GitHub (own tokens)"})
            request = composio.connected_accounts.initiate(
                user_id="sdk-bearer", auth_config_id=config.id, config=auth_scheme.bearer_token({"token": "gho_existingAccessToken123"}))
            account = request.wait_for_connection(timeout=10)
            assert account.status == "ACTIVE", account.status
            fields = composio.toolkits.get_connected_account_initiation_fields(toolkit="github", auth_scheme="BEARER_TOKEN")
            assert [field.name for field in fields] == ["token"], fields
        step("BEARER_TOKEN auth config on an OAuth2 toolkit, token imported", bearer_on_oauth_toolkit)

        def oauth_tokens_refused():
            try:
                composio.connected_accounts.initiate(
                    user_id="sdk-oauth", auth_config_id=ids["gitlab"], config={"auth_scheme": "OAUTH2", "val": {"status": "ACTIVE", "access_token": "glpat-x"}})
            except Exception as error:
                assert "BEARER_TOKEN" in str(error) or "link" in str(error), error
            else:
                raise AssertionError("OAuth tokens were imported")
        step("OAuth tokens cannot be imported into an OAuth2 config", oauth_tokens_refused)

        def tools_key_check():
            page = composio.client.tools.list(toolkit_slug="github", limit=5)
            assert page.items == [] and page.total_items == 0 and page.current_page == 1, page
        step("tools.list (a key check)", tools_key_check)

        def org_projects():
            from composio_client._auth import OrganizationAuth
            org = composio.client.with_options(auth=OrganizationAuth(credential=sandbox.org_key(sys.argv[1])))
            page = org.org.owner.project.list()
            assert any(project.id == "pr_sandbox_default" for project in page.data), page
        step("org.owner.project.list with x-org-api-key", org_projects)

        def link():
            request = composio.connected_accounts.link(user_id="sdk-link-user", auth_config_id=ids["github"])
            assert request.redirect_url and "/link/" in request.redirect_url, request.redirect_url
            assert composio.connected_accounts.get(request.id).status == "INITIATED"
        step("connected_accounts.link", link)
    finally:
        sandbox.stop()
    return step.finish("python-sdk")


if __name__ == "__main__":
    sys.exit(main())
