"""Runs `onboard sandbox serve` on a free port with a fresh database, for the contract checks."""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

KEY = "ak_contract_check_key"


class Sandbox:
    def __init__(self, binary):
        self.dir = tempfile.mkdtemp(prefix="onboard-contract-")
        env = dict(os.environ, ONBOARD_SANDBOX_API_KEY=KEY)
        self.process = subprocess.Popen(
            [binary, "sandbox", "serve", "--port", "0", "--rate-limit", "0", "--db", os.path.join(self.dir, "db.sqlite")],
            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env, text=True)
        deadline = time.time() + 30
        self.base = None
        while time.time() < deadline and self.base is None:
            line = self.process.stderr.readline()
            match = re.search(r"http://127\.0\.0\.1:(\d+)", line or "")
            if match:
                self.base = "http://127.0.0.1:" + match.group(1)
        if self.base is None:
            self.process.kill()
            sys.exit("the sandbox did not start")

    def call(self, method, path, body=None, key=KEY, org_key=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if org_key is not None:
            request.add_header("x-org-api-key", org_key)
        elif key is not None:
            request.add_header("x-api-key", key)
        if data is not None:
            request.add_header("content-type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                return reply.status, json.loads(reply.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def org_key(self, binary):
        """A new organisation key for this sandbox's database."""
        result = subprocess.run([binary, "sandbox", "keys", "create", "--org", "--db", os.path.join(self.dir, "db.sqlite")],
                                capture_output=True, text=True, check=True)
        return result.stdout.split()[-1]

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)




class Steps:
    """Runs named checks, reporting every failure rather than stopping at the first, and prints
    the closing `name: N passed, N failed` line."""

    def __init__(self):
        self.passed, self.failed = 0, 0

    def __call__(self, name, action):
        try:
            result = action()
            self.passed += 1
            print(f"ok   {name}")
            return result
        except Exception as error:  # every failing step is reported, not just the first
            self.failed += 1
            print(f"FAIL {name}: {type(error).__name__}: {str(error)[:400]}")
            return None

    def finish(self, name):
        print(f"{name}: {self.passed} passed, {self.failed} failed")
        return 1 if self.failed else 0
