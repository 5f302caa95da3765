#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for Scribe: system packages (recognizer, speech tools for test
# fixtures, keyring, Chromium for the browser build and e2e tests), then the npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(chromium flite espeak-ng sox pocketsphinx pocketsphinx-en-us libsecret-1-dev gnome-keyring dbus dbus-x11 xvfb xauth)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "Installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Node 22 (installed into .tools/node when the system's is older).
source scripts/node-env.sh

# Electron's and onnxruntime's postinstall scripts download from GitHub; the CPU runtime is inside the
# npm package, and the desktop binary is optional (npm run dev:web runs the same app in a browser).
export ELECTRON_SKIP_BINARY_DOWNLOAD="${ELECTRON_SKIP_BINARY_DOWNLOAD:-1}"
export ONNXRUNTIME_NODE_INSTALL=skip
# Reinstall only when the lock file's content (or the Node ABI) differs from what was installed last time.
install_stamp="$(sha256sum package-lock.json | cut -d' ' -f1)-node$(node -p process.versions.modules)"
if [ ! -d node_modules ] || [ "$(cat node_modules/.scribe-install-stamp 2>/dev/null)" != "$install_stamp" ]; then
  npm ci --no-audit --no-fund
  echo "$install_stamp" > node_modules/.scribe-install-stamp
fi

# Assets (terminology) from a local folder when one is present next to the checkout (IT share, CI).
# Installed once; `scribe assets install` verifies every sha256 against models/manifest.json.
if [ -z "${SCRIBE_SKIP_ASSETS:-}" ] && [ -d "${SCRIBE_SHARED_DIR:-../shared}/terminology" ]; then
  if ! node bin/scribe.mjs assets list --json | node -e 'const a=JSON.parse(require("fs").readFileSync(0,"utf8"));process.exit(a.some(x=>x.name==="terminology"&&x.state==="installed")?0:1)'; then
    node bin/scribe.mjs assets install terminology --from "${SCRIBE_SHARED_DIR:-../shared}/terminology"
  fi
fi
