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
entry="$home/node_modules/code-server/out/node/entry.js"
rig_works() { [ -f "$entry" ] && node "$entry" --version --config /dev/null 2>/dev/null | grep -q "Code 1.100"; }

if rig_works; then
  echo "setup-e2e: VS Code rig already installed in $home"
elif [ -f "$rig/install.sh" ]; then
  # install.sh's last self-check pipes `code-server --version` into `head`, which can die of a
  # broken pipe under pipefail after everything is installed: judge by whether the rig works.
  bash "$rig/install.sh" || echo "setup-e2e: install.sh exited non-zero; checking the rig itself"
  rig_works || { echo "setup-e2e: the VS Code rig does not start (code-server in $home)" >&2; exit 1; }
  echo "setup-e2e: VS Code rig ready: $(node "$entry" --version --config /dev/null 2>/dev/null | grep -m1 Code)"
else
  echo "setup-e2e: no rig at $rig (../shared/vscode-e2e); end-to-end tests cannot run" >&2; exit 1
fi
