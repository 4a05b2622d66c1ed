#!/usr/bin/env bash
# Import throughput against a local sandbox, unthrottled and at a given rate limit.
#
#   bench/import-throughput.sh [ROWS] [LIMIT_PER_MINUTE]
#
# Builds the release binary with release/build.sh (unless ONBOARD_BIN names a binary), serves a fresh sandbox for
# each run, imports ROWS generated users (default 2000) into its Freshdesk auth config and
# prints rows/s, requests sent and how many were answered 429. The limited run uses
# LIMIT_PER_MINUTE (default 600) and ROWS capped to just over one window, so it must wait for
# the next window once.
set -euo pipefail
rows=${1:-2000}
limit=${2:-600}
root=$(cd "$(dirname "$0")/.." && pwd)
if [[ -z "${ONBOARD_BIN:-}" ]]; then
    ONBOARD_BIN="$root/$("$root/release/build.sh")"
fi
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

serve() { # $1: rate limit; sets server and port
    rm -f "$work"/sandbox.sqlite*
    ONBOARD_SANDBOX_API_KEY=ak_bench "$ONBOARD_BIN" sandbox serve --port 0 --rate-limit "$1" --db "$work/sandbox.sqlite" 2> "$work/serve.log" &
    server=$!
    for _ in $(seq 100); do
        port=$(grep -o '127\.0\.0\.1:[0-9]*' "$work/serve.log" | head -1 | cut -d: -f2 || true)
        [[ -n "$port" ]] && return 0
        sleep 0.05
    done
    echo "the sandbox did not start" >&2
    exit 1
}

run() { # $1: label, $2: rate limit, $3: rows
    serve "$2"
    export COMPOSIO_API_KEY=ak_bench COMPOSIO_BASE_URL="http://127.0.0.1:$port"
    local config
    config=$("$ONBOARD_BIN" auth-configs --search Freshdesk --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
    python3 - "$3" > "$work/users.csv" <<'PY'
import sys
print("user_id,subdomain,generic_api_key")
for i in range(int(sys.argv[1])):
    print(f"bench-{i:06d},acme,key-{i:06d}")
PY
    rm -f "$work/users.csv.journal"
    local start end
    start=$(date +%s.%N)
    "$ONBOARD_BIN" import "$work/users.csv" --auth-config "$config" --concurrency 16 --json > "$work/report.json" 2> /dev/null
    end=$(date +%s.%N)
    python3 - "$1" "$start" "$end" "$work/report.json" "$2" <<'PY'
import json, sys
label, start, end, path, limit = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], int(sys.argv[5])
report = json.load(open(path))
s, r = report["summary"], report["requests"]
seconds = end - start
limit_text = "none" if limit == 0 else f"{limit}/min ({limit / 60:.1f}/s)"
print(f"{label:<12} limit {limit_text:<18} {s['created']:>6} rows in {seconds:6.2f} s = {s['created'] / seconds:7.1f} rows/s"
      f"   {r['sent']} requests, {r['rate_limited']} answered 429 ({100 * r['rate_limited'] / max(1, r['sent']):.2f}%)")
PY
    kill "$server"
    wait "$server" 2>/dev/null || true
}

run unthrottled 0 "$rows"
limited_rows=$((limit + limit / 12))
run limited "$limit" "$limited_rows"
