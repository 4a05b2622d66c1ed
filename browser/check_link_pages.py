#!/usr/bin/env python3
"""The hosted connect page in a real browser: Debian's Chromium, headless, driven through its own
WebDriver (/usr/bin/chromedriver; nothing is downloaded) with Selenium, against a sandbox served
on loopback.

    python3 browser/check_link_pages.py ONBOARD_BINARY [--screenshots DIR]

For each credential scheme the sandbox serves, a link is opened, its form filled and submitted,
the done page seen and the account read back ACTIVE. Then: a missing field shows its error
beside it with the other values kept and no secret in the page; a forged post is refused; the
labels, the tab order, the focus outline and a narrow (200% zoom) window are checked; used,
expired and unknown links say so; a callback_url receives the person. With --screenshots, each
page is also saved at phone and desktop widths.
"""

import argparse
import http.server
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

KEY = "ak_browser_checks_0001"
FAILURES = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        FAILURES.append(what)


def serve(binary, work, *arguments):
    env = dict(os.environ, ONBOARD_SANDBOX_API_KEY=KEY)
    process = subprocess.Popen([binary, "sandbox", "serve", "--port", "0", "--db", os.path.join(work, f"{uuid.uuid4().hex[:6]}.sqlite"),
                                *arguments], env=env, stderr=subprocess.PIPE, text=True)
    while True:
        line = process.stderr.readline()
        if not line:
            raise RuntimeError("the sandbox did not start")
        match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        if match:
            # Keep reading its log, or a full pipe would stall it.
            threading.Thread(target=lambda: process.stderr.read(), daemon=True).start()
            return process, f"http://127.0.0.1:{match.group(1)}"


def api(base, method, path, body=None):
    request = urllib.request.Request(base + "/api/v3.1" + path, method=method, data=json.dumps(body).encode() if body else None,
                                     headers={"x-api-key": KEY, "content-type": "application/json"})
    with urllib.request.urlopen(request) as reply:
        return json.loads(reply.read())


def config_id(base, toolkit):
    return next(c["id"] for c in api(base, "GET", "/auth_configs?limit=100")["items"] if c["toolkit"]["slug"] == toolkit)


def link(base, toolkit, user, **extra):
    return api(base, "POST", "/connected_accounts/link", dict(auth_config_id=config_id(base, toolkit), user_id=user, **extra))


def browser(width, height):
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", f"--window-size={width},{height}"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def inputs(driver):
    return [element for element in driver.find_elements(By.CSS_SELECTOR, "form input") if element.get_attribute("type") != "hidden"]


def gone(page):
    """Whether the page `page` (its html element) was replaced by the next one. Asked while the
    browser navigates, chromedriver may answer that the node no longer belongs to the document
    instead of calling it stale: that means gone too."""
    def check(_driver):
        try:
            page.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
    return check


def press(driver, decision):
    """Clicks Connect (approve) or Cancel (deny) and waits for the next page to load."""
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, f"button[value='{decision}']").click()
    WebDriverWait(driver, 15).until(gone(page))
    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")


def shot(driver, directory, name):
    if not directory:
        return
    for label, (width, height) in (("phone", (390, 844)), ("desktop", (1280, 900))):
        driver.set_window_size(width, height)
        height_needed = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, max(height, height_needed + 140))
        driver.save_screenshot(os.path.join(directory, f"link-{name}-{label}.png"))
    driver.set_window_size(1280, 900)


class Callback(http.server.BaseHTTPRequestHandler):
    seen = []

    def do_GET(self):
        Callback.seen.append(self.path)
        self.send_response(200)
        self.send_header("content-type", "text/html")
        self.end_headers()
        self.wfile.write(b"<!doctype html><title>Back at the app</title><h1>Back at the app</h1>")

    def log_message(self, *arguments):
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--screenshots")
    options = parser.parse_args()
    binary = os.path.abspath(options.binary)
    work = tempfile.mkdtemp(prefix="onboard-browser-")
    sandbox, base = serve(binary, work, "--rate-limit", "0")
    short, short_base = serve(binary, work, "--rate-limit", "0", "--link-lifetime", "2")
    callback = http.server.HTTPServer(("127.0.0.1", 0), Callback)
    threading.Thread(target=callback.serve_forever, daemon=True).start()
    driver = browser(1280, 900)
    try:
        # Every credential scheme: fill, connect, done, ACTIVE.
        cases = [("freshdesk", "API_KEY"), ("linear", "BEARER_TOKEN"), ("jira", "BASIC"), ("servicenow", "BASIC_WITH_JWT"),
                 ("google_bigquery", "GOOGLE_SERVICE_ACCOUNT")]
        for index, (toolkit, scheme) in enumerate(cases):
            made = link(base, toolkit, f"browser-{index}")
            driver.get(made["redirect_url"])
            fields = inputs(driver)
            check(len(fields) > 0 and driver.find_element(By.TAG_NAME, "h1").text.startswith("Connect "), f"{scheme}: the page asks for its fields")
            labelled = all(driver.find_elements(By.CSS_SELECTOR, f"label[for='{field.get_attribute('id')}']") for field in fields)
            check(labelled, f"{scheme}: every input has its label")
            if index == 0:
                shot(driver, options.screenshots, "form")
            secrets = []
            for field in fields:
                value = f"value-{uuid.uuid4().hex[:10]}"
                if field.get_attribute("type") == "password":
                    secrets.append(value)
                    if toolkit == "google_bigquery":
                        value = json.dumps({"type": "service_account", "project_id": "p", "private_key": value})
                field.clear()
                field.send_keys(value)
            press(driver, "approve")
            heading = driver.find_element(By.TAG_NAME, "h1").text
            check(heading == "Connected", f"{scheme}: submitting shows the done page ({heading!r})")
            check(not any(secret in driver.page_source for secret in secrets), f"{scheme}: the done page holds no secret")
            if index == 0:
                shot(driver, options.screenshots, "done")
            account = api(base, "GET", f"/connected_accounts/{made['connected_account_id']}")
            check(account["status"] == "ACTIVE", f"{scheme}: the account reads back ACTIVE")
            driver.get(made["redirect_url"])
            check("already used" in driver.find_element(By.TAG_NAME, "h1").text, f"{scheme}: the used link says so")

        # A missing field: its error beside it, the other values kept, no secret in the page.
        made = link(base, "jira", "browser-missing")
        driver.get(made["redirect_url"])
        site, email, token = inputs(driver)
        secret = f"SECRET-{uuid.uuid4().hex}"
        email.send_keys("ops@example.com")
        token.send_keys(secret)
        press(driver, "approve")
        site, email, token = inputs(driver)
        error = driver.find_elements(By.CSS_SELECTOR, ".field.invalid .error")
        check(len(error) == 1 and "Site" in error[0].text, "the missing field's error is shown beside it")
        check(site.get_attribute("aria-invalid") == "true" and error[0].get_attribute("id") in site.get_attribute("aria-describedby"),
              "the error is tied to its input (aria-invalid, aria-describedby)")
        check(email.get_attribute("value") == "ops@example.com", "the other values are kept")
        check(secret not in driver.page_source and token.get_attribute("value") == "", "the secret is not written back into the page")
        check(driver.find_element(By.CSS_SELECTOR, "[role=alert]").text != "", "a summary is announced")
        shot(driver, options.screenshots, "error")
        check(api(base, "GET", f"/connected_accounts/{made['connected_account_id']}")["status"] == "INITIATED", "nothing was connected")

        # Ask for help, without scripts: the page says the operator was told, keeps the plain
        # values and never the secret; the account says when (for invite watch), still INITIATED.
        made = link(base, "jira", "browser-help")
        driver.get(made["redirect_url"])
        site, email, token = inputs(driver)
        secret = f"SECRET-{uuid.uuid4().hex}"
        site.send_keys("acme")
        token.send_keys(secret)
        press(driver, "help")
        notice = driver.find_elements(By.CSS_SELECTOR, "[role=status]")
        check(len(notice) == 1 and "operator has been told" in notice[0].text, "the help button says the operator was told")
        check(inputs(driver)[0].get_attribute("value") == "acme" and secret not in driver.page_source, "plain values kept, the secret not written back")
        account = api(base, "GET", f"/connected_accounts/{made['connected_account_id']}")
        check(account["status"] == "INITIATED" and account.get("onboard_link_help_requested_at"), "the account records the help request")
        press(driver, "approve")
        check(api(base, "GET", f"/connected_accounts/{made['connected_account_id']}")["status"] == "INITIATED", "the missing field still stops it")

        # Tab order: the inputs in order, then Connect, then Cancel; a visible focus ring.
        driver.get(link(base, "jira", "browser-tabs")["redirect_url"])
        driver.execute_script("document.activeElement && document.activeElement.blur()")
        order = []
        for _ in range(5):
            ActionChains(driver).send_keys(Keys.TAB).perform()
            active = driver.switch_to.active_element
            name = active.get_attribute("name") or active.tag_name
            order.append(name + ("=" + active.get_attribute("value") if active.tag_name == "button" else ""))
            if len(order) == 1:
                style = driver.execute_script("const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth];")
                check(style[0] != "none" and float(style[1].rstrip("px")) >= 2, f"the focused input shows an outline ({style})")
        check(order == ["subdomain", "username", "password", "decision=approve", "decision=deny"], f"tab order: {order}")

        # 200% zoom on a 640-pixel window is a 320-pixel page: nothing wider than it.
        driver.set_window_size(320, 800)
        overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        check(overflow <= 0, f"a 320-pixel-wide page needs no sideways scrolling (overflow {overflow})")
        driver.set_window_size(1280, 900)

        # A post from elsewhere changes nothing.
        forged = link(base, "linear", "browser-forged")
        request = urllib.request.Request(forged["redirect_url"], data=b"decision=approve&token=x", method="POST")
        try:
            urllib.request.urlopen(request)
            status = 200
        except urllib.error.HTTPError as error:
            status = error.code
        check(status == 403, f"a post without the page's CSRF token is refused ({status})")
        check(api(base, "GET", f"/connected_accounts/{forged['connected_account_id']}")["status"] == "INITIATED", "and connects nothing")

        # Cancel, a callback, an expired and an unknown link.
        back = f"http://127.0.0.1:{callback.server_address[1]}/done?x=1"
        made = link(base, "linear", "browser-callback", callback_url=back)
        driver.get(made["redirect_url"])
        inputs(driver)[0].send_keys("lin_api_browser")
        press(driver, "approve")
        check(driver.current_url.startswith(back) and "status=success" in driver.current_url
              and made["connected_account_id"] in driver.current_url, f"the callback_url receives the person ({driver.current_url})")
        made = link(base, "linear", "browser-cancel")
        driver.get(made["redirect_url"])
        press(driver, "deny")
        check(driver.find_element(By.TAG_NAME, "h1").text == "Not connected", "Cancel connects nothing and says so")
        check(api(base, "GET", f"/connected_accounts/{made['connected_account_id']}")["status"] == "FAILED", "a cancelled link's account is FAILED")
        stale = link(short_base, "linear", "browser-expired")
        time.sleep(3)
        driver.get(stale["redirect_url"])
        check(driver.find_element(By.TAG_NAME, "h1").text == "This link has expired", "an expired link says so")
        shot(driver, options.screenshots, "expired")
        driver.get(base + "/link/lt_nothing_here")
        check(driver.find_element(By.TAG_NAME, "h1").text == "This link is not valid", "an unknown link says so")

        # The operator's side: invite create --via link, the customer's browser, invite list and the trail.
        env = dict(os.environ, COMPOSIO_API_KEY=KEY, COMPOSIO_BASE_URL=base, XDG_DATA_HOME=os.path.join(work, "op-data"),
                   XDG_STATE_HOME=os.path.join(work, "op-state"))
        env.pop("ONBOARD_STORE", None)
        created = json.loads(subprocess.run([binary, "invite", "create", "--via", "link", "--auth-config", config_id(base, "linear"),
                                             "--user-id", "browser-invite", "--greeting", "Acme Support asks you to connect Linear", "--json"],
                                            env=env, capture_output=True, text=True, check=True).stdout)
        check(created.get("greeting") == "Acme Support asks you to connect Linear", "the link invite keeps its greeting, to send with the link")
        watch = subprocess.Popen([binary, "invite", "watch"], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            driver.get(created["link_url"])
            time.sleep(1.5)  # invite watch has seen the invite pending
            press(driver, "help")
            time.sleep(2)
        finally:
            watch.terminate()
        watched = watch.communicate(timeout=10)[0]
        check(f"{created['id']}" in watched and "HELP ASKED" in watched, f"invite watch shows the help asked on the link's page:\n{watched}")
        inputs(driver)[0].send_keys("lin_api_from_the_invite")
        press(driver, "approve")
        listed = json.loads(subprocess.run([binary, "invite", "list", "--json"], env=env, capture_output=True, text=True, check=True).stdout)
        mine = next(invite for invite in listed if invite["id"] == created["id"])
        check(mine["state"] == "connected" and mine["account_id"] == created["connected_account_id"],
              f"invite list follows a link invite to connected ({mine['state']})")
        trail = subprocess.run([binary, "audit", "--json"], env=env, capture_output=True, text=True, check=True).stdout
        events = [(record["event"], (record.get("actor") or {}).get("invite_id")) for record in json.loads(trail)]
        check(("invite.created", created["id"]) in events and ("connection.created", created["id"]) in events,
              "the trail has the invite and its connection, as for an SSH invite")
        check(("session.help_requested", created["id"]) in events, "and the help asked on the link's page")
        check(mine.get("help_requested_at"), "invite list has when help was asked")
        check("lin_api_from_the_invite" not in trail, "and no value")
    finally:
        driver.quit()
        sandbox.terminate()
        short.terminate()
        callback.shutdown()
    print(f"{len(FAILURES)} failed")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
