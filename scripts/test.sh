#!/usr/bin/env bash
# The whole test suite on a fresh Debian (bookworm) machine, as root: install, then `npm test`
# (typecheck, lint, unit tests, lab tests on real sshd, dockerd, dhcpd, dhcrelay, dhclient).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm test
