export interface CheckScriptParams {
  readonly redisCli: string;
  readonly port: number;
  /** File with the Redis password (read at each run so a rotated secret needs no re-render). */
  readonly passwordFile: string;
  /** The failover agent's eligibility marker: the run_id of a Redis process whose dataset may be MASTER. */
  readonly eligibilityFile: string;
}

/**
 * keepalived's vrrp_script: healthy while the local Redis answers within a second AND is the process
 * the failover agent marked eligible (synced from the master since it started, the leased master, or
 * bootstrapped by an operator). A restarted or replaced, empty Redis fails it, so keepalived keeps the
 * node FAULT (out of the election) until its first full sync completed.
 */
export function renderCheckScript(p: CheckScriptParams): string {
  return `#!/bin/sh
# Rendered by lib/host-config/redis/check-script.ts. Exit 0 while the local Redis answers and is eligible.
eligible="$(cat ${p.eligibilityFile} 2>/dev/null)" || exit 1
[ -n "$eligible" ] || exit 1
REDISCLI_AUTH="$(cat ${p.passwordFile})" timeout 1 ${p.redisCli} -h 127.0.0.1 -p ${p.port} --no-auth-warning info server | tr -d '\\r' | grep -qx "run_id:$eligible"
`;
}
