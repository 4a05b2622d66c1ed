#!/usr/bin/env bash
# Checks the gateway's systemd unit: `systemd-analyze verify` (with the unit's ExecStart pointed
# at the binary given, since /usr/bin/onboard is the package's) and `systemd-analyze security
# --offline=true`, whose overall exposure must be 2.0 or less ("OK"). Prints the score.
#   release/systemd/check-unit.sh path/to/onboard
set -euo pipefail
binary="$(realpath "$1")"
cd "$(dirname "$0")"
if ! command -v systemd-analyze >/dev/null; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends systemd
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed "s#/usr/bin/onboard#$binary#" onboard-gateway.service > "$work/onboard-gateway.service"
systemd-analyze verify "$work/onboard-gateway.service"
report="$(systemd-analyze security --offline=true onboard-gateway.service)"
line="$(printf '%s\n' "$report" | grep 'Overall exposure level')"
echo "$line"
score="$(printf '%s\n' "$line" | sed -E 's/.*: ([0-9]+\.[0-9]+).*/\1/')"
awk -v score="$score" 'BEGIN { exit !(score <= 2.0) }' || { echo "the unit's exposure $score is above 2.0"; printf '%s\n' "$report"; exit 1; }
