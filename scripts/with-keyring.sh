#!/usr/bin/env bash
# Runs a command with an unlocked OS keychain (the Secret Service). On a desktop session one is already
# running; on a headless machine (CI, a server) start a private D-Bus session with gnome-keyring.
# Its keyring files live in a private temporary folder thrown away at exit (tests: parallel sessions never
# share them), unless SCRIBE_KEYRING_DIR names a folder to keep them in (npm run dev:web keeps them with
# its data folder, so a second run opens the same vault). That folder is made private (0700).
set -euo pipefail
if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] && [ -z "${SCRIBE_PRIVATE_KEYRING:-}" ]; then
  exec "$@"
fi
export SCRIBE_PRIVATE_KEYRING=1
if [ -n "${SCRIBE_KEYRING_DIR:-}" ]; then
  keyring_home="$SCRIBE_KEYRING_DIR"
  mkdir -p "$keyring_home"
  chmod 700 "$keyring_home"
else
  keyring_home="$(mktemp -d "${TMPDIR:-/tmp}/scribe-keyring.XXXXXX")"
  trap 'rm -rf "$keyring_home"' EXIT
fi
dbus-run-session -- sh -c 'printf "\n" | XDG_DATA_HOME="$0" gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; "$@"' "$keyring_home" "$@"
