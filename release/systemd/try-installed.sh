#!/usr/bin/env bash
# Starts the installed gateway as its unit says (User=, Environment=, ExecStart=), reloads it as
# ExecReload= does and stops it with the unit's KillSignal, for a machine where systemd does not
# run as PID 1 (a container, CI): everything `systemctl start/reload/stop onboard-gateway` would
# exercise of onboard itself, without the manager's sandboxing, with a customer's ssh session
# to the form in between. Run as root after `dpkg -i`.
#   release/systemd/try-installed.sh
set -euo pipefail
unit=/lib/systemd/system/onboard-gateway.service
value() { sed -n "s/^$1=//p" "$unit" | tail -1; }
user="$(value User)"
start="$(value ExecStart)"
# The state directory systemd would make (StateDirectory=onboard under /var/lib), for this run only.
state="$(mktemp -d)"
pid=""
client=""
# Whatever happens, nothing started here outlives the script.
trap 'kill $pid $client 2>/dev/null || true; rm -rf "$state"' EXIT
chown "$user" "$state"
log="$state/journal"
# The unit's Environment=, with its /var/lib pointed at the directory made above; a port of
# its own so nothing else on the machine is in the way.
read -r -a environment <<< "$(value Environment | sed "s#/var/lib#$state#g")"
# Runs a command as the unit runs its own: the unit's user, no new privileges, only its
# environment. It replaces the (sub)shell it runs in, so `as_user ... &` leaves $! the command's.
as_user() {
    exec setpriv --reuid="$user" --regid="$user" --init-groups --no-new-privs \
        env -i PATH=/usr/bin:/bin HOME="$state" USER="$user" LOGNAME="$user" "${environment[@]}" "$@"
}
# shellcheck disable=SC2086
as_user ${start/--port 2222/--port 0} --host 127.0.0.1 2> "$log" &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
grep "listening on\|^Limits:" "$log" || { cat "$log"; echo "the installed gateway did not start"; exit 1; }
port="$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -1)"

# A customer: an invite made as the gateway's user, then the real OpenSSH client on a pty
# (-tt) until the form is on its screen. The gateway runs as that user, without root's
# privileges, as systemd runs it.
config="$(as_user onboard auth-configs --json | python3 -c 'import json, sys; print([c["id"] for c in json.load(sys.stdin) if c["toolkit"] == "tavily"][0])')"
token="$(as_user onboard invite create --auth-config "$config" --user-id installed --json \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["ssh_command"].split()[-1].split("@")[0])')"
echo "[127.0.0.1]:$port $(as_user onboard gateway fingerprint --public-key)" > "$state/known_hosts"
customer="$state/customer"
ssh -tt -F /dev/null -o UserKnownHostsFile="$state/known_hosts" -o StrictHostKeyChecking=yes -o BatchMode=yes \
    -p "$port" "$token@127.0.0.1" < <(sleep 20) > "$customer" 2>&1 &
client=$!
for _ in $(seq 100); do grep -aq "API Key" "$customer" && break; sleep 0.1; done
grep -aq "API Key" "$customer" || { cat -v "$customer"; cat "$log"; echo "a customer did not reach the form"; exit 1; }
kill "$client" 2>/dev/null || true
wait "$client" 2>/dev/null || true
# ExecReload=/bin/kill -HUP $MAINPID
reload="$(value ExecReload)"
${reload/\$MAINPID/$pid}
for _ in $(seq 50); do grep -q "SIGHUP: limits" "$log" && break; sleep 0.1; done
grep "SIGHUP: limits read again; none changed." "$log" || { cat "$log"; echo "the reload did not read the limits again"; exit 1; }
kill -"$(value KillSignal | sed 's/^SIG//')" "$pid"
status=0
wait "$pid" || status=$?
grep -q "every record is written" "$log" && [ "$status" -eq 0 ] || { cat "$log"; echo "the gateway stopped with $status"; exit 1; }
echo "installed gateway: started as $user, a customer reached the form over ssh, reloaded, stopped with exit 0"
