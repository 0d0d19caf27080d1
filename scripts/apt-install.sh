#!/usr/bin/env bash
# Installs Debian packages unless a command is already on the PATH: apt-install.sh COMMAND PACKAGE...
# Idempotent; uses sudo only when not root. The install-*.sh scripts call it for what the tests need.
set -euo pipefail
command="$1"
shift
if command -v "$command" >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends "$@"
