#!/usr/bin/env bash
# The main job: install what is needed, build a department lab from network namespaces, roll out
# its DHCP server (the code `pulumi up` runs, without the Pulumi CLI), print a client's lease, the
# deployed config, and how to tear it down. Root on Debian bookworm. Nothing touches the root
# network namespace.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node dist/lab/inCtl.js --keep node dist/lab/demo.js
