#!/usr/bin/env bash
# Installs Debian's redis-server for the tests of the Redis executor (test/distributed/) and the bench.
# They start their own server on 127.0.0.1 and a free port (bench/redisServer.ts) and stop it; nothing
# here starts one.
set -euo pipefail
bash "$(dirname "$0")/apt-install.sh" redis-server redis-server
