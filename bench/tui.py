#!/usr/bin/env python3
"""Terminal benchmarks: onboard beside dialog and whiptail, each in a real pseudo-terminal.

    bench/tui.py ONBOARD_BINARY [RUNS]

Every program runs in an 80x24 pty with TERM=xterm-256color. Reported as medians over RUNS
(default 7):
  - exec to first frame (first output that draws the screen) and, for onboard, to the auth-config
    list loaded from the embedded sandbox;
  - bytes of the first full frame;
  - bytes written per keystroke in a secret field, typed at 150 ms a key (a fast typist): the
    median key, and everything written until the screen settles after the last key, divided by
    the keys (onboard updates the length note once typing pauses); and echo latency (key written
    to first byte back);
  - peak RSS (VmHWM) of the program;
  - for onboard, time from a filter keystroke to the redrawn frame with 10,000 auth configs loaded.
"""

import fcntl
import json
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
import urllib.request

COLUMNS, ROWS = 80, 24
SECRET = b"s3cretvalue0"
KEY_INTERVAL = 0.15


class Pty:
    """One program in a pseudo-terminal; everything it writes is kept with its arrival time."""

    def __init__(self, argv, env):
        self.started = time.perf_counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvpe(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.output = b""
        self.first_byte = None

    def read(self, timeout):
        """Reads what arrives within `timeout` seconds; returns it."""
        got = b""
        end = time.perf_counter() + timeout
        while True:
            left = end - time.perf_counter()
            if left <= 0:
                break
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                break
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            if self.first_byte is None:
                self.first_byte = time.perf_counter()
            got += chunk
            self.output += chunk
        return got

    def wait_for(self, needle, timeout=30):
        """Reads until `needle` has been written; returns the time the chunk holding it arrived.

        Each chunk is checked as it arrives: reading in fixed windows (as this did before
        2026-11-30) put every arrival at the end of its 10 ms window, which made a frame drawn
        at 14 ms read as 21 ms and one at 7 ms as 11 ms.
        """
        end = time.perf_counter() + timeout
        arrived = time.perf_counter()  # already here: now
        while needle not in self.output:
            left = end - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{needle!r} never appeared; last output: {self.output[-400:]!r}")
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.5))
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                raise TimeoutError(f"the program ended before {needle!r}; last output: {self.output[-400:]!r}")
            arrived = time.perf_counter()
            if self.first_byte is None:
                self.first_byte = arrived
            self.output += chunk
        return arrived

    def quiet(self, gap=0.05, timeout=5):
        """Reads until nothing arrives for `gap` seconds; returns the bytes read."""
        got = b""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            chunk = self.read(gap)
            if not chunk:
                break
            got += chunk
        return got

    def keystroke(self, data):
        """Writes a key; returns (latency to the first byte back, bytes written in reply)."""
        sent = time.perf_counter()
        os.write(self.fd, data)
        first = None
        got = b""
        end = sent + 2
        while time.perf_counter() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.05 if first else 1)
            if not ready:
                if first:
                    break
                continue
            chunk = os.read(self.fd, 65536)
            if first is None:
                first = time.perf_counter()
            got += chunk
        self.output += got
        return ((first or end) - sent), got

    def peak_rss_kb(self):
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    def close(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def type_secret(term):
    """Types SECRET at KEY_INTERVAL; returns (latencies, bytes per key, bytes per key until settled)."""
    latencies, sizes = [], []
    for character in SECRET:
        started = time.perf_counter()
        latency, reply = term.keystroke(bytes([character]))
        latencies.append(latency)
        sizes.append(len(reply))
        time.sleep(max(0.0, KEY_INTERVAL - (time.perf_counter() - started)))
    settled = term.quiet(gap=0.8)
    return latencies, sizes, (sum(sizes) + len(settled)) / len(SECRET)


def environment(data):
    env = dict(os.environ)
    env.update(TERM="xterm-256color", LANG="C.UTF-8", XDG_DATA_HOME=data, COLUMNS=str(COLUMNS), LINES=str(ROWS))
    for key in ("COMPOSIO_API_KEY", "COMPOSIO_BASE_URL", "NO_COLOR"):
        env.pop(key, None)
    return env


def classic(tool, data):
    """dialog or whiptail with a password box: first frame, bytes, keystrokes, RSS."""
    argv = [tool, "--passwordbox", "API Key", "10", "60"]
    if tool == "dialog":
        argv = [tool, "--insecure", "--passwordbox", "API Key", "10", "60"]
    term = Pty(argv, environment(data))
    first_frame = term.wait_for(b"API Key") - term.started
    frame = term.quiet()
    frame_bytes = len(term.output)
    latencies, sizes, settled = type_secret(term)
    rss = term.peak_rss_kb()
    term.close()
    del frame
    return {"first_frame": first_frame, "frame_bytes": frame_bytes, "key_bytes": statistics.median(sizes),
            "key_bytes_settled": settled, "echo": statistics.median(latencies), "rss_kb": rss}


def onboard(binary, data):
    """The wizard on the embedded sandbox: first frame, list loaded, a secret field's keystrokes."""
    term = Pty([binary], environment(data))
    first_frame = term.wait_for(b"Step 1 of 4") - term.started
    loaded = term.wait_for(b"of 21 auth configs") - term.started
    term.quiet()
    frame_bytes = len(term.output)
    # Freshdesk: filter, choose, fill the subdomain, move to the masked key.
    for key in [b"fresh", b"\r"]:
        os.write(term.fd, key)
        term.quiet()
    term.wait_for(b"Subdomain")
    for key in [b"\r", b"acme", b"\t"]:
        os.write(term.fd, key)
        term.quiet()
    latencies, sizes, settled = type_secret(term)
    if b"12 characters" not in term.output:
        raise SystemExit("onboard never showed the typed length: the keys did not reach the secret field")
    rss = term.peak_rss_kb()
    term.close()
    return {"first_frame": first_frame, "list_loaded": loaded, "frame_bytes": frame_bytes,
            "key_bytes": statistics.median(sizes), "key_bytes_settled": settled, "echo": statistics.median(latencies), "rss_kb": rss}


def large_project(binary, data, count=10000):
    """A sandbox database with `count` extra auth configs, made through the sandbox's own API."""
    key = "ak_bench_large"
    env = environment(data)
    env["ONBOARD_SANDBOX_API_KEY"] = key
    # The server logs a line per request: to a file, so a full pipe never stalls it.
    log_path = os.path.join(data, "serve.log")
    with open(log_path, "w") as log:
        server = subprocess.Popen([binary, "sandbox", "serve", "--port", "0", "--rate-limit", "0"], env=env, stderr=log)
    port = None
    while port is None:
        time.sleep(0.05)
        with open(log_path) as log:
            found = re.search(r"http://127\.0\.0\.1:(\d+)", log.read())
        port = int(found.group(1)) if found else None
    body = json.dumps({"toolkit": {"slug": "tavily"}, "auth_config": {"type": "use_custom_auth", "authScheme": "API_KEY"}}).encode()
    for index in range(count):
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v3.1/auth_configs", data=body, method="POST",
                                         headers={"x-api-key": key, "content-type": "application/json"})
        urllib.request.urlopen(request).read()
    server.send_signal(signal.SIGTERM)
    server.wait()


def refilter(binary, data, keystrokes=8):
    """With every config loaded, the time from a filter keystroke to the last byte of the redraw."""
    term = Pty([binary], environment(data))
    term.wait_for(b"auth configs", timeout=60)
    # A filter that matches nothing makes the lazy list fetch every page; the spinner turns
    # (and writes) until the last one is in, so a second of silence means all are loaded.
    os.write(term.fd, b"zzzz")
    deadline = time.perf_counter() + 300
    while term.read(1.0) and time.perf_counter() < deadline:
        pass
    os.write(term.fd, b"\x7f" * 4)
    term.quiet(0.2)
    times = []
    for character in b"tavily s"[:keystrokes]:
        sent = time.perf_counter()
        os.write(term.fd, bytes([character]))
        last = sent
        while True:
            ready, _, _ = select.select([term.fd], [], [], 0.05)
            if not ready:
                break
            term.output += os.read(term.fd, 65536)
            last = time.perf_counter()
        times.append(last - sent)
    term.close()
    return statistics.median(times)


def main():
    binary = os.path.abspath(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    results = {}
    with tempfile.TemporaryDirectory() as data:
        subprocess.run([binary, "auth-configs"], env=environment(data), capture_output=True, check=True)  # seed
        for name, run in [("onboard", lambda: onboard(binary, data))] + [
                (tool, (lambda tool=tool: classic(tool, data))) for tool in ("whiptail", "dialog") if shutil.which(tool)]:
            samples = [run() for _ in range(runs)]
            results[name] = {key: statistics.median(sample[key] for sample in samples) for key in samples[0]}
    with tempfile.TemporaryDirectory() as data:
        large_project(binary, data)
        results["onboard"]["refilter_10k"] = statistics.median(refilter(binary, data) for _ in range(3))
    print(json.dumps(results, indent=2))
    print()
    print(f"{'':<10}{'first frame':>12}{'list loaded':>12}{'frame bytes':>12}{'bytes/key':>10}{'settled':>9}{'echo':>10}{'peak RSS':>10}")
    for name, result in results.items():
        loaded = f"{result['list_loaded'] * 1000:.0f} ms" if "list_loaded" in result else "-"
        print(f"{name:<10}{result['first_frame'] * 1000:>9.1f} ms{loaded:>12}{result['frame_bytes']:>12.0f}"
              f"{result['key_bytes']:>10.0f}{result['key_bytes_settled']:>9.1f}{result['echo'] * 1000:>7.2f} ms{result['rss_kb'] / 1024:>7.1f} MB")
    if "refilter_10k" in results["onboard"]:
        print(f"\nonboard: filter keystroke to redrawn frame with 10,000 auth configs loaded: {results['onboard']['refilter_10k'] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
