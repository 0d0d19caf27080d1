#!/usr/bin/env bash
# Installs Debian's Chromium for the browser test of `proverlab report` (test/report/browser.test.ts).
# Idempotent: does nothing when /usr/bin/chromium exists. Uses sudo only when not root.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium
