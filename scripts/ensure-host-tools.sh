#!/usr/bin/env bash
# Installs the Debian packages the real-server tests and the failover drill use (redis-server,
# keepalived, unbound, nsd, iproute2, iptables, shellcheck) when they are missing, or fails saying how.
# It never stops, disables, kills or reconfigures a service: the tests start their own instances on
# their own ports and in their own namespaces, so a developer's running redis-server or unbound is
# left exactly as it was. Packages installed here are kept from starting their distribution services
# (policy-rc.d, only for the duration of the install and only if the machine has none of its own).
set -euo pipefail
PACKAGES=(redis-server redis-tools keepalived unbound nsd iproute2 iptables dnsutils procps python3 shellcheck)
COMMANDS=(redis-server redis-cli redis-benchmark keepalived unbound unbound-checkconf unbound-control nsd nsd-checkconf ip iptables dig pgrep python3 shellcheck)

case "${1:-}" in
  -h|--help) echo "usage: bash scripts/ensure-host-tools.sh   (installs missing test tools with apt-get, or fails saying how)"; exit 0 ;;
  "") ;;
  *) echo "ensure-host-tools: unknown argument '$1'; run with --help" >&2; exit 2 ;;
esac

missing=()
for cmd in "${COMMANDS[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || missing+=("$cmd")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=()
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && SUDO=(sudo -n)
if ! command -v apt-get >/dev/null 2>&1 || { [ "$(id -u)" -ne 0 ] && [ ${#SUDO[@]} -eq 0 ]; }; then
  cat >&2 <<MSG
ensure-host-tools: missing ${missing[*]}, and this machine cannot install them (needs apt-get, and root or passwordless sudo).
Install them and re-run:  sudo apt-get install -y ${PACKAGES[*]}
The real-server tests and the failover drill need them; they never skip themselves.
MSG
  exit 1
fi

echo "ensure-host-tools: missing ${missing[*]}; installing ${PACKAGES[*]} with apt-get" >&2
POLICY=/usr/sbin/policy-rc.d
if [ ! -e "$POLICY" ]; then
  # Exit 101 = "action forbidden": dpkg installs the packages without starting their services.
  "${SUDO[@]}" sh -c "printf '#!/bin/sh\nexit 101\n' > $POLICY && chmod 755 $POLICY"
  trap '"${SUDO[@]}" rm -f "$POLICY"' EXIT
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
still=()
for cmd in "${COMMANDS[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || still+=("$cmd")
done
if [ ${#still[@]} -gt 0 ]; then
  echo "ensure-host-tools: still missing ${still[*]} after apt-get install; install them by hand: sudo apt-get install -y ${PACKAGES[*]}" >&2
  exit 1
fi
