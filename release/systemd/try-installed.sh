#!/usr/bin/env bash
# Starts the installed gateway as its unit says (User=, Environment=, ExecStart=), reloads it as
# ExecReload= does and stops it with the unit's KillSignal, for a machine where systemd does not
# run as PID 1 (a container, CI): everything `systemctl start/reload/stop onboard-gateway` would
# exercise of onboard itself, without the manager's sandboxing. Run as root after `dpkg -i`.
#   release/systemd/try-installed.sh
set -euo pipefail
unit=/lib/systemd/system/onboard-gateway.service
value() { sed -n "s/^$1=//p" "$unit" | tail -1; }
user="$(value User)"
start="$(value ExecStart)"
# The state directory systemd would make (StateDirectory=onboard under /var/lib), for this run only.
state="$(mktemp -d)"
trap 'rm -rf "$state"' EXIT
chown "$user" "$state"
log="$state/journal"
# The unit's Environment=, with its /var/lib pointed at the directory made above; a port of
# its own so nothing else on the machine is in the way.
read -r -a environment <<< "$(value Environment | sed "s#/var/lib#$state#g")"
# shellcheck disable=SC2086
setpriv --reuid="$user" --regid="$user" --init-groups --no-new-privs \
    env -i PATH=/usr/bin:/bin HOME="$state" USER="$user" LOGNAME="$user" "${environment[@]}" ${start/--port 2222/--port 0} --host 127.0.0.1 2> "$log" &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
grep "listening on\|^Limits:" "$log" || { cat "$log"; echo "the installed gateway did not start"; exit 1; }
# ExecReload=/bin/kill -HUP $MAINPID
reload="$(value ExecReload)"
${reload/\$MAINPID/$pid}
for _ in $(seq 50); do grep -q "SIGHUP: limits" "$log" && break; sleep 0.1; done
grep "SIGHUP: limits read again; none changed." "$log" || { cat "$log"; echo "the reload did not read the limits again"; exit 1; }
kill -"$(value KillSignal | sed 's/^SIG//')" "$pid"
status=0
wait "$pid" || status=$?
grep -q "every record is written" "$log" && [ "$status" -eq 0 ] || { cat "$log"; echo "the gateway stopped with $status"; exit 1; }
echo "installed gateway: started as $user, reloaded, stopped with exit 0"
