#!/usr/bin/env bash
# Installs what routedhcp's tests and demo need on a fresh Debian (bookworm) machine, as root:
# the real parts (ISC dhcpd 4.4.3-P1, dhcrelay, dhclient, udhcpc, sshd, Docker engine, debootstrap,
# perfdhcp) and the npm packages. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  isc-dhcp-server isc-dhcp-relay isc-dhcp-client udhcpc
  openssh-server openssh-client docker.io debootstrap kea-admin
  iproute2 iputils-ping procps psmisc util-linux ca-certificates
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # --no-install-recommends keeps the Debian services from being enabled beyond what we need;
  # policy-rc.d stops the packages from starting daemons in the root namespace at install time.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  npm run build
fi
