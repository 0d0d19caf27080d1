#!/usr/bin/env bash
# Installs Debian's redis-server for the tests of the Redis executor (test/distributed/). The tests start
# their own server on 127.0.0.1 and a free port (test/support/redisServer.ts) and stop it; nothing here
# starts one. Idempotent: does nothing when redis-server is on the PATH. Uses sudo only when not root.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends redis-server
