export interface CheckScriptParams {
  readonly redisCli: string;
  readonly port: number;
  /** File with the Redis password (read at each run so a rotated secret needs no re-render). */
  readonly passwordFile: string;
}

/** keepalived's vrrp_script: healthy while the local Redis answers PING within a second. */
export function renderCheckScript(p: CheckScriptParams): string {
  return `#!/bin/sh
# Rendered by lib/host-config/redis/check-script.ts. Exit 0 while the local Redis answers PING.
REDISCLI_AUTH="$(cat ${p.passwordFile})" timeout 1 ${p.redisCli} -h 127.0.0.1 -p ${p.port} --no-auth-warning ping | grep -qx PONG
`;
}
