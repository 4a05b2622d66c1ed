#!/usr/bin/env python3
"""The SSH gateway beside the usual way, OpenSSH's sshd with `ForceCommand onboard`, measured
side by side in one run with the same client (OpenSSH's ssh on a pty):

    bench/gateway.py ONBOARD_BINARY [--sessions 100] [--runs 10] [--keys 50] [--storm 100]

- connect to first frame: from starting `ssh` to the credentials page on the screen;
- keystroke echo: from a key written to the client's pty to the redrawn field coming back;
- memory with N sessions parked at the secret field: PSS of the server's processes (the gateway,
  or sshd's listener and its two processes per session) and of the sessions' onboard processes;
- a login storm: N clients started at once (their invites made beforehand), each timed from its
  own start to its first frame; p50, p95 and p99, and how many never got one.

Needs openssh-server and openssh-client (Debian) and root (sshd's privilege separation). Both
servers run on loopback with their own files in a temporary directory; onboard runs on the
embedded sandbox, the same database for both.
"""

import argparse
import fcntl
import json
import os
import re
import select
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import tempfile
import termios
import time

MARKER = b"Key"  # "API Key", the label of the secret field on the credentials page


def run(*argv, env=None, check=True):
    return subprocess.run(argv, env=env, capture_output=True, text=True, check=check).stdout


class Client:
    """`ssh` on a pty of its own, 100x30, as a person's terminal would run it."""

    def __init__(self, argv):
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
                                        preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0), env=dict(os.environ, TERM="xterm-256color"))
        os.close(slave)
        self.seen = b""

    def wait_for(self, marker, timeout=30):
        end = time.time() + timeout
        while marker not in self.seen:
            ready, _, _ = select.select([self.master], [], [], max(0, end - time.time()))
            if not ready:
                raise TimeoutError(f"{marker!r} never came: {self.seen[-400:]!r}")
            self.seen += os.read(self.master, 65536)
        return time.perf_counter() - self.started

    def drain(self, quiet=0.15):
        while select.select([self.master], [], [], quiet)[0]:
            try:
                os.read(self.master, 65536)
            except OSError:
                return

    def echo(self, byte):
        """Seconds from writing one key to the first byte of the answer."""
        self.drain()
        start = time.perf_counter()
        os.write(self.master, byte)
        select.select([self.master], [], [], 5)
        elapsed = time.perf_counter() - start
        os.read(self.master, 65536)
        return elapsed

    def close(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        os.close(self.master)


def pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as file:
            return next(int(line.split()[1]) for line in file if line.startswith("Pss:"))
    except (OSError, StopIteration):
        return 0


def processes():
    """(pid, exe, cmdline) of every process."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                exe = os.readlink(f"/proc/{entry}/exe")
                with open(f"/proc/{entry}/cmdline", "rb") as file:
                    found.append((int(entry), exe, file.read().replace(b"\0", b" ").decode(errors="replace")))
            except OSError:
                pass
    return found


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--keys", type=int, default=50)
    parser.add_argument("--storm", type=int, default=100)
    options = parser.parse_args()
    binary = os.path.realpath(options.binary)
    work = tempfile.mkdtemp(prefix="onboard-bench-gateway-")
    env = dict(os.environ, XDG_DATA_HOME=f"{work}/data", XDG_STATE_HOME=f"{work}/state", LANG="C.UTF-8")
    for name in ("COMPOSIO_API_KEY", "COMPOSIO_BASE_URL"):
        env.pop(name, None)
    config = next(c["id"] for c in json.loads(run(binary, "auth-configs", "--json", env=env)) if c["toolkit"] == "tavily")

    # sshd, the usual way: a key login whose only command is the wizard.
    for name in ("sshd_host", "client"):
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", f"{work}/{name}")
    shutil.copy(f"{work}/client.pub", f"{work}/authorized_keys")
    os.makedirs("/run/sshd", exist_ok=True)
    with open(f"{work}/sshd_config", "w") as file:
        file.write(f"""ListenAddress 127.0.0.1:22022
HostKey {work}/sshd_host
AuthorizedKeysFile {work}/authorized_keys
PidFile {work}/sshd.pid
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AllowTcpForwarding no
AllowAgentForwarding no
X11Forwarding no
PermitTTY yes
MaxStartups 500:30:600
ForceCommand env XDG_DATA_HOME={work}/data XDG_STATE_HOME={work}/state LANG=C.UTF-8 {binary} --auth-config {config} --user-id alice
""")
    sshd = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", f"{work}/sshd_config"], stderr=open(f"{work}/sshd.log", "w"))
    for _ in range(100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", 22022)) == 0:
                break
        time.sleep(0.05)
    gateway = subprocess.Popen([binary, "gateway", "serve", "--port", "0", "--max-sessions", str(options.sessions + 50),
                                "--connections-per-minute", "0"], env=env, stderr=subprocess.PIPE, text=True)
    port = None
    while port is None:
        match = re.search(r"listening on 127\.0\.0\.1:(\d+)", gateway.stderr.readline())
        port = match and int(match.group(1))
    time.sleep(0.5)
    with open(f"{work}/known_hosts", "w") as file:
        file.write(f"[127.0.0.1]:{port} {run(binary, 'gateway', 'fingerprint', '--public-key', env=env)}")
        file.write(f"[127.0.0.1]:22022 {open(f'{work}/sshd_host.pub').read()}")
    common = ["ssh", "-F", "/dev/null", "-tt", "-o", f"UserKnownHostsFile={work}/known_hosts", "-o", "StrictHostKeyChecking=yes",
              "-o", "BatchMode=yes"]

    def sshd_client():
        return Client(common + ["-i", f"{work}/client", "-o", "IdentitiesOnly=yes", "-p", "22022", "root@127.0.0.1"])

    def gateway_token():
        invite = json.loads(run(binary, "invite", "create", "--auth-config", config, "--user-id", "alice", "--json", env=env))
        return invite["ssh_command"].split()[-1].split("@")[0]

    def gateway_client(token=None):
        return Client(common + ["-p", str(port), f"{token or gateway_token()}@127.0.0.1"])

    def storm(start, count, timeout=180):
        """Starts `count` clients back to back; seconds from each one's start to its first frame."""
        clients = [start() for _ in range(count)]
        waiting = {client.master: client for client in clients}
        times = {}
        end = time.time() + timeout
        while waiting and time.time() < end:
            ready, _, _ = select.select(list(waiting), [], [], 1)
            for descriptor in ready:
                client = waiting[descriptor]
                try:
                    client.seen += os.read(descriptor, 65536)
                except OSError:
                    del waiting[descriptor]
                    continue
                if MARKER in client.seen:
                    times[descriptor] = time.perf_counter() - client.started
                    del waiting[descriptor]
        for client in clients:
            client.close()
        return list(times.values()), len(waiting)

    results = {}
    try:
        for name, start in (("sshd + ForceCommand", sshd_client), ("onboard gateway", gateway_client)):
            first, echoes = [], []
            for index in range(options.runs):
                client = start()
                first.append(client.wait_for(MARKER))
                if index == 0:
                    echoes = [client.echo(b"x") for _ in range(options.keys)]
                client.close()
                time.sleep(0.2)
            parked = []
            for _ in range(options.sessions):
                client = start()
                client.wait_for(MARKER, timeout=120)
                parked.append(client)
            time.sleep(2)
            table = processes()
            server_pids = [pid for pid, exe, _ in table if exe == "/usr/sbin/sshd"] if name.startswith("sshd") else [gateway.pid]
            # sshd's sessions run the wizard with its flags; the gateway's are `onboard gateway session`.
            session_pids = [pid for pid, exe, cmd in table if exe == binary and pid != gateway.pid and "gateway serve" not in cmd
                            and ("--user-id alice" in cmd or cmd.strip().endswith("gateway session"))]
            results[name] = {
                "first_frame_ms": statistics.median(first) * 1000,
                "echo_ms_median": statistics.median(echoes) * 1000,
                "echo_ms_p95": percentile(echoes, 0.95) * 1000,
                "server_processes": len(server_pids),
                "server_pss_mb": sum(map(pss_kb, server_pids)) / 1024,
                "session_processes": len(session_pids),
                "sessions_pss_mb": sum(map(pss_kb, session_pids)) / 1024,
            }
            for client in parked:
                client.close()
            time.sleep(3)
            if options.storm:
                tokens = [gateway_token() for _ in range(options.storm)] if not name.startswith("sshd") else []
                starts = iter(tokens)
                stormed, lost = storm((lambda: gateway_client(next(starts))) if tokens else sshd_client, options.storm)
                results[name]["storm"] = (stormed, lost)
                time.sleep(3)
    finally:
        sshd.terminate()
        gateway.terminate()
        sshd.wait()
        gateway.wait()
        if os.environ.get("KEEP"): print("kept", work)
        else: shutil.rmtree(work, ignore_errors=True)

    print(f"{options.runs} connects each, {options.keys} keystrokes, {options.sessions} sessions parked at the secret field\n")
    print(f"| {'':22} | first frame (median) | echo median | echo p95 | server processes | server PSS | session processes | sessions PSS | total PSS |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name:22} | {r['first_frame_ms']:.0f} ms | {r['echo_ms_median']:.2f} ms | {r['echo_ms_p95']:.2f} ms | "
              f"{r['server_processes']} | {r['server_pss_mb']:.1f} MB | {r['session_processes']} | {r['sessions_pss_mb']:.1f} MB | "
              f"{r['server_pss_mb'] + r['sessions_pss_mb']:.1f} MB |")
    if options.storm:
        print(f"\nLogin storm: {options.storm} clients started at once, each timed to its first frame\n")
        print("| | p50 | p95 | p99 | no frame |\n|---|---|---|---|---|")
        for name, r in results.items():
            stormed, lost = r["storm"]
            if stormed:
                print(f"| {name} | {percentile(stormed, 0.5) * 1000:.0f} ms | {percentile(stormed, 0.95) * 1000:.0f} ms | "
                      f"{percentile(stormed, 0.99) * 1000:.0f} ms | {lost} |")
            else:
                print(f"| {name} | - | - | - | {lost} |")


if __name__ == "__main__":
    main()
