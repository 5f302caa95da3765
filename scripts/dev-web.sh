#!/usr/bin/env bash
# `npm run dev:web`: set up, build the renderer, and open the app in a browser through the web bridge.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/node-env.sh
npm run build:renderer
exec scripts/with-keyring.sh node bin/scribe.mjs web --open "$@"
