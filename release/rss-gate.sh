#!/usr/bin/env bash
# Fails when the wizard's peak resident memory at the secret field passes a limit (default
# 25 MB), so a regression is seen the day it lands. Runs the binary on a fresh embedded sandbox
# in tmux, chooses the first auth config, moves to its secret field, and reads VmHWM.
#
# The binary starts cold each time, its cached pages dropped (as on a server it was just copied
# to and rebooted): the kernel maps file pages around each fault when they are already cached,
# so the same binary read 21.6 MB cold and 24.6 MB warm. Of three cold runs the lowest counts.
#
#   release/rss-gate.sh "$(release/build.sh)" [LIMIT_KB]
set -euo pipefail
binary="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
limit="${2:-25600}"
measure() {
    python3 -c 'import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
os.fsync(fd)
os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)' "$binary"
    work="$(mktemp -d)"
    socket="onboard-rss-$$-$1"
    tmux -L "$socket" -f /dev/null new-session -d -s rss -x 100 -y 30 \
        "env -u COMPOSIO_API_KEY -u COMPOSIO_BASE_URL XDG_DATA_HOME=$work/data XDG_STATE_HOME=$work/state LANG=C.UTF-8 TERM=xterm-256color '$binary'; sleep 60"
    wait_for "Choose an auth config"
    wait_for "ACCOUNTS"
    tmux -L "$socket" send-keys -t rss Enter
    wait_for "User ID"
    tmux -L "$socket" send-keys -t rss Tab
    wait_for "ctrl-r reveal"
    sleep 0.5
    pid="$(pgrep -f -x "$binary" | head -1)"
    awk '/VmHWM/ {print $2}' "/proc/$pid/status"
    tmux -L "$socket" kill-server 2>/dev/null || true
    rm -rf "$work"
}

wait_for() {
    for _ in $(seq 1 200); do
        tmux -L "$socket" capture-pane -p -t rss | grep -q "$1" && return 0
        sleep 0.05
    done
    echo "rss-gate: the wizard never showed \"$1\":" >&2
    tmux -L "$socket" capture-pane -p -t rss >&2
    exit 1
}

peaks=()
for run in 1 2 3; do
    value="$(measure "$run")"   # a run that fails stops the gate (set -e)
    peaks+=("$value")
done
peak="$(printf '%s\n' "${peaks[@]}" | sort -n | head -1)"
echo "peak RSS at the secret field: ${peak} kB, the lowest of ${peaks[*]} (limit ${limit} kB)"
[ "$peak" -le "$limit" ] || { echo "rss-gate: over the limit"; exit 1; }
