#!/usr/bin/env bash
# One command, fresh machine to the desktop app: set up, build, start Electron.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/node-env.sh
npm run build
exec node scripts/start-desktop.mjs
