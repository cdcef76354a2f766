#!/usr/bin/env bash
# Real WebGPU on a machine with no GPU driver: Mesa's lavapipe (Vulkan on the CPU), which Dawn
# (npm `webgpu`) picks up. Debian bookworm's own Mesa 22 is refused by Dawn, so on bookworm this
# takes Mesa >= 24 from bookworm-backports, on the Debian mirror the machine already uses.
# Needs root (or sudo). Idempotent: does nothing when a Vulkan driver is already installed.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

if ls /usr/share/vulkan/icd.d/*.json >/dev/null 2>&1 && ! ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1; then
  echo "setup-lavapipe: a Vulkan driver is already installed; nothing to do"; exit 0
fi
if ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1 \
  && dpkg --compare-versions "$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || echo 0)" ge 24; then
  echo "setup-lavapipe: lavapipe (Mesa >= 24) already installed"; exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "setup-lavapipe: not a Debian-like system; install Mesa >= 24 lavapipe (mesa-vulkan-drivers) yourself" >&2; exit 1
fi
if grep -q bookworm /etc/os-release 2>/dev/null; then
  if ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
    uri=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
    [ -n "$uri" ] || uri=$(awk '$1 == "deb" && $3 == "bookworm" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
    [ -n "$uri" ] || { echo "setup-lavapipe: no Debian mirror found in the apt sources" >&2; exit 1; }
    printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" \
      | $SUDO tee /etc/apt/sources.list.d/bookworm-backports.sources >/dev/null
  fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports libvulkan1 mesa-vulkan-drivers >/dev/null
else
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends libvulkan1 mesa-vulkan-drivers >/dev/null
fi
echo "setup-lavapipe: installed mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)"
