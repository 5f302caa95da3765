#!/usr/bin/env bash
# One command, fresh machine to all tests: set up, then run `npm test` (typecheck, lint, unit and
# integration tests with the real recognizer, FHIR server, keychain and onnxruntime, then the e2e tests
# in Chromium) inside a keyring session, under a virtual display when there is none.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/node-env.sh
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then
  exec xvfb-run -a scripts/with-keyring.sh npm test
fi
exec scripts/with-keyring.sh npm test
