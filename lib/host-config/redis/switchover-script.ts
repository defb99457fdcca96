export interface SwitchoverScriptParams {
  readonly redisCli: string;
  readonly port: number;
  readonly passwordFile: string;
  readonly vip: string;
  /** Stops keepalived cleanly (it then sends priority 0: the standby takes over in under a second). */
  readonly stopKeepalived: string;
  readonly startKeepalived: string;
  /** Give up (and restart keepalived here) when the local Redis is not a linked replica after this long. */
  readonly timeoutS: number;
}

/**
 * The planned switchover, run on the shard's current master (SSM Run Command from
 * `npm run redis:switchover`, or by hand). It only uses the agents' protocol: a clean keepalived stop
 * makes the standby MASTER (its agent promotes and steers the routes) and this node's agent demote
 * (fence, proof, journal merge, REPLICAOF). Waits for that, restarts keepalived (nopreempt: it stays
 * BACKUP) and prints one JSON line with the time. Refuses unless the standby is an online replica.
 */
export function renderSwitchoverScript(p: SwitchoverScriptParams): string {
  return `#!/bin/bash
# Rendered by lib/host-config/redis/switchover-script.ts. Planned switchover: run on the shard's master.
set -euo pipefail
cli() { REDISCLI_AUTH="$(cat ${p.passwordFile})" timeout 2 ${p.redisCli} -h 127.0.0.1 -p ${p.port} --no-auth-warning "$@" | tr -d '\\r'; }
field() { printf '%s\\n' "$1" | awk -F: -v k="$2" '$1 == k { print $2; exit }'; }
fail() { echo "{\\"switchover\\":\\"refused\\",\\"reason\\":\\"$1\\"}"; exit "$2"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

info=$(cli info replication) || fail "local Redis does not answer" 3
[ "$(field "$info" role)" = master ] || fail "this node is not the master (role $(field "$info" role)): run it on the master" 2
ip -o -4 addr show | grep -F " ${p.vip}/" >/dev/null || fail "this node does not hold the VIP ${p.vip}: keepalived is not MASTER here" 2
standby=$(field "$info" slave0)
case "$standby" in *state=online*) ;; *) fail "the standby is not an online replica (\${standby:-none}): it could not take over" 3 ;; esac

start=$(now_ms)
${p.stopKeepalived}
demoted=""
for _ in $(seq 1 $(( ${p.timeoutS} * 10 ))); do
  info=$(cli info replication || true)
  if [ "$(field "$info" role)" = slave ] && [ "$(field "$info" master_link_status)" = up ]; then demoted=yes; break; fi
  sleep 0.1
done
took=$(( $(now_ms) - start ))
${p.startKeepalived}
[ -n "$demoted" ] || fail "the standby did not take over within ${p.timeoutS} s; keepalived restarted here" 4
echo "{\\"switchover\\":\\"done\\",\\"ms\\":$took,\\"newMaster\\":\\"$(field "$info" master_host)\\"}"
`;
}
