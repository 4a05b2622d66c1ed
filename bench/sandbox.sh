#!/usr/bin/env bash
# Sandbox throughput on loopback with wrk: requests/s and p99 latency for a GET (a page of auth
# configs) and for a create (a connected account).
#
#   bench/sandbox.sh [ONBOARD_BINARY] [SECONDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
binary=${1:-$root/.build/static/release/onboard}   # release/build.sh makes it
seconds=${2:-10}
command -v wrk > /dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
ONBOARD_SANDBOX_API_KEY=ak_bench "$binary" sandbox serve --port 0 --rate-limit 0 --db "$work/sandbox.sqlite" 2> "$work/serve.log" &
server=$!
for _ in $(seq 100); do
    port=$(grep -o '127\.0\.0\.1:[0-9]*' "$work/serve.log" | head -1 | cut -d: -f2 || true)
    [[ -n "$port" ]] && break
    sleep 0.05
done
base="http://127.0.0.1:$port/api/v3.1"
config=$(curl -s -H 'x-api-key: ak_bench' "$base/auth_configs?search=Tavily" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
cat > "$work/create.lua" <<LUA
wrk.method = "POST"
wrk.headers["x-api-key"] = "ak_bench"
wrk.headers["content-type"] = "application/json"
counter = 0
request = function()
    counter = counter + 1
    local body = '{"auth_config":{"id":"$config"},"connection":{"user_id":"bench-' .. counter .. '","state":{"authScheme":"API_KEY","val":{"status":"ACTIVE","generic_api_key":"tvly-bench"}}}}'
    return wrk.format(nil, "/api/v3.1/connected_accounts", nil, body)
end
LUA
report() { # label, wrk output
    python3 - "$1" "$2" <<'PY'
import re, sys
label, text = sys.argv[1], sys.argv[2]
rate = re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)
p99 = re.search(r"99%\s+([\d.]+\w+)", text).group(1)
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{label:<28} {float(rate):>9.0f} requests/s   p99 {p99:>8}   non-2xx {errors.group(1) if errors else 0}")
PY
}
get=$(wrk -t2 -c16 -d"${seconds}s" --latency -H 'x-api-key: ak_bench' "$base/auth_configs?limit=20")
report "GET /auth_configs?limit=20" "$get"
create=$(wrk -t2 -c16 -d"${seconds}s" --latency -s "$work/create.lua" "http://127.0.0.1:$port")
report "POST /connected_accounts" "$create"
