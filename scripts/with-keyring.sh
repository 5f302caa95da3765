#!/usr/bin/env bash
# Runs a command with an unlocked OS keychain (the Secret Service). On a desktop session one is already
# running; on a headless machine (CI, a server) start a private D-Bus session with gnome-keyring.
set -euo pipefail
if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] && [ -z "${SCRIBE_PRIVATE_KEYRING:-}" ]; then
  exec "$@"
fi
export SCRIBE_PRIVATE_KEYRING=1
exec dbus-run-session -- sh -c 'printf "\n" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$@"' sh "$@"
