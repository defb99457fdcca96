#!/usr/bin/env bash
# Installs the Debian packages the real-server tests and the failover drill run (redis-server,
# keepalived, unbound, nsd, iproute2, iptables) when missing. Fails loudly, saying how, when it cannot.
set -euo pipefail
PACKAGES=(redis-server redis-tools keepalived unbound nsd iproute2 iptables dnsutils procps python3)
COMMANDS=(redis-server redis-cli redis-benchmark keepalived unbound unbound-checkconf unbound-control nsd nsd-checkconf ip iptables dig pgrep python3)

missing=()
for cmd in "${COMMANDS[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || missing+=("$cmd")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "ensure-host-tools: missing ${missing[*]}; installing ${PACKAGES[*]}" >&2
SUDO=()
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO=(sudo -n)
if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || [ ${#SUDO[@]} -gt 0 ]; }; then
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
  # The distribution starts these as services on install; the tests run their own instances.
  for svc in redis-server unbound nsd keepalived; do "${SUDO[@]}" systemctl disable --now "$svc" >/dev/null 2>&1 || true; done
  for svc in redis-server unbound nsd keepalived; do "${SUDO[@]}" pkill -x "$svc" >/dev/null 2>&1 || true; done
  exit 0
fi
cat >&2 <<MSG
ensure-host-tools: cannot install ${missing[*]} (needs root or passwordless sudo, and apt-get).
Install them and re-run:  sudo apt-get install -y ${PACKAGES[*]}
The real-server tests and the failover drill need them; they never skip themselves.
MSG
exit 1
