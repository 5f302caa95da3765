#!/usr/bin/env bash
# Runs a command with an unlocked OS keychain (the Secret Service). On a desktop session one is already
# running; on a headless machine (CI, a server) start a private D-Bus session with gnome-keyring, whose
# keyring files live in a private temporary folder (so parallel sessions never share them).
set -euo pipefail
if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] && [ -z "${SCRIBE_PRIVATE_KEYRING:-}" ]; then
  exec "$@"
fi
export SCRIBE_PRIVATE_KEYRING=1
keyring_home="$(mktemp -d "${TMPDIR:-/tmp}/scribe-keyring.XXXXXX")"
trap 'rm -rf "$keyring_home"' EXIT
dbus-run-session -- sh -c 'printf "\n" | XDG_DATA_HOME="$0" gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; "$@"' "$keyring_home" "$@"
