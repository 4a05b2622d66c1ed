#!/usr/bin/env python3
"""Makes the PNGs in screenshots/ from real runs: onboard in tmux against a local sandbox, each
screen captured with its colours (capture-pane -e), drawn as SVG and rendered by rsvg-convert.

    screenshots/make.py [ONBOARD_BINARY] [gateway]    # "gateway": only the SSH gateway's shots

Needs tmux, rsvg-convert (Debian: librsvg2-bin) and a monospace font (fonts-dejavu-core).
Account ids and countdowns differ from run to run; everything else is what the program shows.
"""

import html
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BINARY = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "onboard")
KEY = "ak_screenshots_0001"

# xterm's palette for 0-15; the 6x6x6 cube and grey ramp follow.
ANSI = ["#000000", "#cd0000", "#00cd00", "#cdcd00", "#0000ee", "#cd00cd", "#00cdcd", "#e5e5e5",
        "#7f7f7f", "#ff0000", "#00ff00", "#ffff00", "#5c5cff", "#ff00ff", "#00ffff", "#ffffff"]


def palette(index):
    if index < 16:
        return ANSI[index]
    if index >= 232:
        grey = 8 + (index - 232) * 10
        return f"#{grey:02x}{grey:02x}{grey:02x}"
    index -= 16
    steps = [0, 95, 135, 175, 215, 255]
    return f"#{steps[index // 36]:02x}{steps[(index // 6) % 6]:02x}{steps[index % 6]:02x}"


def parse(ansi, width, height, fg, bg):
    """ANSI text from capture-pane -e into rows of (char, fg, bg, bold, underline) cells."""
    rows = []
    state = {"fg": None, "bg": None, "bold": False, "dim": False, "underline": False, "reverse": False}
    for line in ansi.split("\n")[:height]:
        cells = []
        for token in re.findall(r"\x1b\[[0-9;]*m|.", line):
            if token.startswith("\x1b["):
                codes = [int(code) if code else 0 for code in token[2:-1].split(";")]
                i = 0
                while i < len(codes):
                    code = codes[i]
                    if code == 0:
                        state.update(fg=None, bg=None, bold=False, dim=False, underline=False, reverse=False)
                    elif code == 1: state["bold"] = True
                    elif code == 2: state["dim"] = True
                    elif code == 4: state["underline"] = True
                    elif code == 7: state["reverse"] = True
                    elif code == 22: state.update(bold=False, dim=False)
                    elif code == 24: state["underline"] = False
                    elif code == 27: state["reverse"] = False
                    elif 30 <= code <= 37: state["fg"] = ANSI[code - 30]
                    elif 90 <= code <= 97: state["fg"] = ANSI[code - 90 + 8]
                    elif 40 <= code <= 47: state["bg"] = ANSI[code - 40]
                    elif 100 <= code <= 107: state["bg"] = ANSI[code - 100 + 8]
                    elif code == 39: state["fg"] = None
                    elif code == 49: state["bg"] = None
                    elif code in (38, 48) and i + 1 < len(codes):
                        key = "fg" if code == 38 else "bg"
                        if codes[i + 1] == 5 and i + 2 < len(codes):
                            state[key] = palette(codes[i + 2])
                            i += 2
                        elif codes[i + 1] == 2 and i + 4 < len(codes):
                            state[key] = "#%02x%02x%02x" % tuple(codes[i + 2:i + 5])
                            i += 4
                    i += 1
                continue
            foreground, background = state["fg"] or fg, state["bg"] or bg
            if state["reverse"]:
                foreground, background = background, foreground
            cells.append((token, foreground, background, state["bold"], state["underline"], state["dim"]))
        cells += [(" ", fg, bg, False, False, False)] * (width - len(cells))
        rows.append(cells[:width])
    while len(rows) < height:
        rows.append([(" ", fg, bg, False, False, False)] * width)
    return rows


def svg(rows, fg, bg, title):
    cell_w, cell_h, pad, bar = 9, 19, 14, 28
    width, height = len(rows[0]) * cell_w + 2 * pad, len(rows) * cell_h + 2 * pad + bar
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="DejaVu Sans Mono" font-size="15">',
           f'<rect width="{width}" height="{height}" rx="8" fill="{bg}"/>',
           f'<rect width="{width}" height="{bar}" rx="8" fill="#3a3a3a"/>',
           '<circle cx="18" cy="14" r="5" fill="#ff5f56"/><circle cx="36" cy="14" r="5" fill="#ffbd2e"/><circle cx="54" cy="14" r="5" fill="#27c93f"/>',
           f'<text x="{width / 2}" y="19" fill="#c8c8c8" font-size="13" text-anchor="middle">{html.escape(title)}</text>']
    for y, cells in enumerate(rows):
        top = pad + bar + y * cell_h
        for x, (char, foreground, background, bold, underline, dim) in enumerate(cells):
            left = pad + x * cell_w
            if background != bg:
                out.append(f'<rect x="{left}" y="{top}" width="{cell_w + 0.5}" height="{cell_h}" fill="{background}"/>')
            # Block elements (a QR code) are drawn as the terminal draws them: filled halves.
            halves = {"\u2588": (0, cell_h), "\u2580": (0, cell_h / 2), "\u2584": (cell_h / 2, cell_h / 2)}
            if char in halves:
                offset, size = halves[char]
                out.append(f'<rect x="{left}" y="{top + offset}" width="{cell_w + 0.5}" height="{size + 0.5}" fill="{foreground}"/>')
                continue
            if char.strip():
                style = ' font-weight="bold"' if bold else ""
                style += ' text-decoration="underline"' if underline else ""
                style += ' opacity="0.6"' if dim else ""
                out.append(f'<text x="{left}" y="{top + 14}" fill="{foreground}"{style}>{html.escape(char)}</text>')
    out.append("</svg>")
    return "\n".join(out)


OPEN = []


class Session:
    def __init__(self, command, width=90, height=26, env=None):
        self.socket = "onboard-shots-" + uuid.uuid4().hex[:8]
        OPEN.append(self)
        self.width, self.height = width, height
        environment = dict(os.environ, LANG="C.UTF-8", **(env or {}))
        subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", "new-session", "-d", "-s", "s", "-x", str(width), "-y", str(height),
                        command + "; sleep 120"], check=True, env=environment)

    def keys(self, *keys):
        subprocess.run(["tmux", "-L", self.socket, "send-keys", "-t", "s", *keys], check=True)

    def type(self, text):
        subprocess.run(["tmux", "-L", self.socket, "send-keys", "-t", "s", "-l", text], check=True)

    def screen(self, colours=False):
        return subprocess.run(["tmux", "-L", self.socket, "capture-pane", "-p", "-t", "s"] + (["-e", "-N"] if colours else []),
                              check=True, capture_output=True, text=True).stdout

    def wait(self, text, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            if text in self.screen():
                return
            time.sleep(0.05)
        raise TimeoutError(f"{text!r} never appeared:\n{self.screen()}")

    def shot(self, name, title, theme_bg="#1c1c1c", theme_fg="#d0d0d0"):
        time.sleep(0.3)
        rows = parse(self.screen(colours=True), self.width, self.height, theme_fg, theme_bg)
        path = os.path.join(HERE, name + ".svg")
        with open(path, "w") as file:
            file.write(svg(rows, theme_fg, theme_bg, title))
        subprocess.run(["rsvg-convert", "-o", os.path.join(HERE, name + ".png"), path], check=True)
        os.remove(path)
        print("wrote", name + ".png")

    def close(self):
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def serve(data, *arguments):
    env = dict(os.environ, ONBOARD_SANDBOX_API_KEY=KEY)
    process = subprocess.Popen([BINARY, "sandbox", "serve", "--port", "0", "--db", os.path.join(data, f"served-{uuid.uuid4().hex[:6]}.sqlite"),
                                *arguments], env=env, stderr=subprocess.PIPE, text=True)
    while True:
        line = process.stderr.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        if match:
            return process, int(match.group(1))


def wizard_run(data, theme, suffix, port, slow_port):
    """Every step of the wizard in one theme."""
    bg, fg = ("#fafafa", "#202020") if theme == "light" else ("#1c1c1c", "#d0d0d0")
    remote = f"COMPOSIO_API_KEY={KEY} COMPOSIO_BASE_URL=http://127.0.0.1:{port}"
    run = lambda extra="": f"cd {data} && env TERM=xterm-256color {remote} {extra} {BINARY} --theme {theme}"
    session = Session(run() + f" --user-id alice-{theme}")
    session.wait("of 21 auth configs")
    session.type("fresh")
    session.wait("1 of 21")
    session.shot(f"1-list-filtered{suffix}", f"onboard: choose an auth config ({theme})", bg, fg)
    session.keys("Enter")
    session.wait("Subdomain")
    session.type("acme")
    session.keys("Tab")
    session.type("fd-9f3Kq2LmX8vR7tW1")
    session.wait("characters")
    session.shot(f"2-fields-masked{suffix}", f"onboard: masked API key with help ({theme})", bg, fg)
    session.keys("Enter")
    session.wait("Review")
    session.shot(f"3-review{suffix}", f"onboard: review before anything is sent ({theme})", bg, fg)
    session.keys("Enter")
    session.wait("Connected")
    session.shot(f"5-active{suffix}", f"onboard: ACTIVE ({theme})", bg, fg)
    session.close()

    slow = Session(f"cd {data} && env TERM=xterm-256color COMPOSIO_API_KEY={KEY} COMPOSIO_BASE_URL=http://127.0.0.1:{slow_port} "
                   f"{BINARY} --theme {theme} --auth-config $({BINARY} auth-configs --search Tavily --json --base-url http://127.0.0.1:{slow_port} "
                   f"| python3 -c 'import json,sys; print(json.load(sys.stdin)[0][\"id\"])') --user-id dana-{theme}",
                   env={"COMPOSIO_API_KEY": KEY})
    slow.wait("API Key", 60)
    slow.type("tvly-4uQ9sZ2bW7xN")
    slow.keys("Enter")
    slow.wait("Review", 60)
    slow.keys("Enter")
    slow.wait("Creating", 30)
    slow.shot(f"4-connecting{suffix}", f"onboard: connecting ({theme})", bg, fg)
    slow.close()

    wrong = Session(f"cd {data} && env TERM=xterm-256color COMPOSIO_API_KEY=ak_wrong_key COMPOSIO_BASE_URL=http://127.0.0.1:{port} {BINARY} --theme {theme}")
    wrong.wait("Could not load auth configs")
    wrong.shot(f"6-error-401{suffix}", f"onboard: a rejected key ({theme})", bg, fg)
    wrong.close()

    again = Session(run() + f" --user-id alice-{theme}")
    again.wait("of 21 auth configs")
    again.type("fresh")
    again.wait("1 of 21")
    again.keys("Enter")
    again.wait("Subdomain")
    again.type("acme")
    again.keys("Tab")
    again.type("fd-Rotated0Key9xY2wQ5")
    again.wait("characters")
    again.keys("Enter")
    again.wait("u: update its credentials")
    again.keys("u")
    again.wait("(•) u: update")
    again.shot(f"9-update-choice{suffix}", f"onboard: the user has an account: add, replace or update it ({theme})", bg, fg)
    again.close()

    # Tall enough for the link's QR code under it.
    link = Session(run("") + f" --user-id erin-{theme}", height=42)
    link.wait("of 21 auth configs")
    link.type("github")
    link.wait("1 of 21")
    link.keys("Enter")
    link.wait("User ID")
    link.keys("Enter")
    link.wait("Enter creates the link")
    link.keys("Enter")
    link.wait("left")
    link.shot(f"7-oauth-link{suffix}", f"onboard: hosted link for an OAuth config ({theme})", bg, fg)
    link.close()


def import_run(data, slow_port):
    users = os.path.join(data, "users.csv")
    with open(users, "w") as file:
        file.write("user_id,subdomain,generic_api_key\n")
        for index in range(400):
            file.write(f"customer-{index:04d},acme,fd-key-{index:06d}\n")
    remote = f"COMPOSIO_API_KEY={KEY} COMPOSIO_BASE_URL=http://127.0.0.1:{slow_port}"
    config = f"$({BINARY} auth-configs --search Freshdesk --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0][\"id\"])')"
    session = Session(f"cd {data} && export TERM=xterm-256color {remote} && {BINARY} import users.csv --auth-config {config}", height=8)
    session.wait("/400", 60)
    time.sleep(2)
    session.shot("8-import-progress", "onboard import users.csv")
    session.close()


def gateway_run(data):
    """The operator's invite and watch, and the customer's first screen over the real ssh client."""
    env = {"XDG_DATA_HOME": os.path.join(data, "gw-data"), "XDG_STATE_HOME": os.path.join(data, "gw-state"), "LANG": "C.UTF-8"}
    full = dict(os.environ, **env)
    for name in ("COMPOSIO_API_KEY", "COMPOSIO_BASE_URL"):
        full.pop(name, None)
    gateway = subprocess.Popen([BINARY, "gateway", "serve", "--port", "0"], env=full, stderr=subprocess.PIPE, text=True)
    port = None
    while port is None:
        match = re.search(r"listening on 127\.0\.0\.1:(\d+)", gateway.stderr.readline())
        port = match and int(match.group(1))
    known = os.path.join(data, "known_hosts")
    public = subprocess.run([BINARY, "gateway", "fingerprint", "--public-key"], env=full, capture_output=True, text=True, check=True).stdout
    with open(known, "w") as file:
        file.write(f"[127.0.0.1]:{port} {public}")
    exports = " ".join(f"{key}={value}" for key, value in env.items())
    config = f"$({BINARY} auth-configs --search Tavily --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0][\"id\"])')"
    operator = Session(f"export {exports} TERM=xterm-256color && {BINARY} invite create --auth-config {config} --user-id alice "
                       f"--note 'Alice at Acme' && {BINARY} invite watch", width=100, height=22)
    operator.wait("Watching invites")
    token = re.search(r"([a-z2-7]{26})@127\.0\.0\.1", operator.screen()).group(1)
    customer = Session(f"TERM=xterm-256color ssh -F /dev/null -o UserKnownHostsFile={known} -o StrictHostKeyChecking=yes "
                       f"-p {port} {token}@127.0.0.1", width=90, height=26)
    customer.wait("API Key")
    customer.shot("11-gateway-customer", "ssh -p PORT TOKEN@host: the customer's first screen, locked to the invite")
    customer.type("tvly-screenshot-key-0123456789")
    customer.keys("Enter")
    customer.wait("enter connect")
    customer.keys("Enter")
    customer.wait("ACTIVE")
    operator.wait("connected:")
    operator.shot("12-invite-watch", "onboard invite watch: pending, in session, connected (the operator)")
    customer.close()
    operator.close()
    gateway.terminate()
    gateway.wait()


def main():
    if sys.argv[2:3] == ["gateway"]:
        with tempfile.TemporaryDirectory() as data:
            try:
                gateway_run(data)
            finally:
                for session in OPEN:
                    session.close()
        return
    with tempfile.TemporaryDirectory() as data:
        fast, port = serve(data, "--rate-limit", "0")
        slow, slow_port = serve(data, "--rate-limit", "0", "--faults", "latency=1500ms")
        try:
            for theme, suffix in [("default", ""), ("light", "-light"), ("high-contrast", "-high-contrast")]:
                wizard_run(data, theme, suffix, port, slow_port)
            slow.kill()
            slow, slow_port = serve(data, "--rate-limit", "0", "--faults", "latency=40ms")
            import_run(data, slow_port)
            gateway_run(data)
        finally:
            # A failed step leaves its session open: close every one.
            for session in OPEN:
                session.close()
            fast.kill()
            slow.kill()


if __name__ == "__main__":
    main()
