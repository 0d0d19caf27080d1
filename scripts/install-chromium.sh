#!/usr/bin/env bash
# Installs Debian's Chromium for the browser test of `proverlab report` (test/report/browser.test.ts).
set -euo pipefail
bash "$(dirname "$0")/apt-install.sh" chromium chromium
