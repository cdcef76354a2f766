#!/usr/bin/env bash
# Debian's Chromium (webview render tests) and the VS Code 1.100 rig from ../shared/vscode-e2e
# (code-server from npm, driven by playwright-core). Idempotent; needs root for apt.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
here="$(cd "$(dirname "$0")/.." && pwd)"
rig="${JITSCOPE_E2E_RIG:-$here/../shared/vscode-e2e}"
home="${VSCODE_E2E_HOME:-$HOME/.cache/vscode-e2e}"

if ! command -v chromium >/dev/null; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation fonts-dejavu-core >/dev/null
fi
if [ -x "$home/node_modules/.bin/code-server" ] || [ -f "$home/node_modules/code-server/out/node/entry.js" ]; then
  echo "setup-e2e: VS Code rig already installed in $home"
elif [ -f "$rig/install.sh" ]; then
  bash "$rig/install.sh"
else
  echo "setup-e2e: no rig at $rig (../shared/vscode-e2e); end-to-end tests cannot run" >&2; exit 1
fi
