#!/usr/bin/env bash
# `npm run dev:web`: set up, build the renderer, and open the app in a browser through the web bridge.
# Without a desktop keyring, the development keyring is kept with the data folder (<data>/dev-keyring,
# private), so the vault's master key is still there on the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/node-env.sh
npm run build:renderer
data_dir="${SCRIBE_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/scribe-web}"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --data-dir) data_dir="${args[$((i + 1))]:-$data_dir}" ;;
    --data-dir=*) data_dir="${args[$i]#--data-dir=}" ;;
  esac
done
mkdir -p "$data_dir"
export SCRIBE_KEYRING_DIR="${SCRIBE_KEYRING_DIR:-$data_dir/dev-keyring}"
exec scripts/with-keyring.sh node bin/scribe.mjs web --open --data-dir "$data_dir" "$@"
