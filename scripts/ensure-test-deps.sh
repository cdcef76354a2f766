#!/usr/bin/env bash
# What the whole test suite needs, installed when missing (each step is idempotent and quick
# when already done): Mesa's lavapipe for real WebGPU on the CPU, Debian's Chromium for the
# webview render tests, and the VS Code 1.100 rig (code-server) for the end-to-end tests.
# Installing needs root or passwordless sudo; without either, it says what is missing and the
# affected tests skip (WebGPU) or fail (Chromium) loudly.
set -uo pipefail
cd "$(dirname "$0")/.."
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"

can_install() { [ "$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }
if ! can_install; then
  echo "ensure-test-deps: not root and no passwordless sudo: not installing lavapipe, Chromium or the VS Code rig" >&2
  exit 0
fi
bash scripts/setup-lavapipe.sh || { echo "ensure-test-deps: lavapipe install failed" >&2; exit 1; }
bash scripts/setup-e2e.sh || { echo "ensure-test-deps: Chromium / VS Code rig install failed" >&2; exit 1; }
