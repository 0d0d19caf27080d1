#!/usr/bin/env bash
# Installs Debian's Optuna for the Python example's test (test/python/optuna.test.ts, examples/optuna_evaluate.py).
# Idempotent: does nothing when Debian's python3 already imports optuna. Quiet: apt's output is shown
# only when it fails. Uses sudo only when not root.
set -euo pipefail
if /usr/bin/python3 -c "import optuna" 2>/dev/null; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
quietly() {
  local out
  if ! out=$("$@" 2>&1); then
    printf '%s\n' "$out" >&2
    exit 1
  fi
}
quietly $SUDO apt-get update
quietly $SUDO apt-get install -y --no-install-recommends python3-optuna
