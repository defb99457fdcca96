import { AccountingFlow } from './metric-contract';

/** Chains holding counting-only rules (no target): traffic passes untouched, the kernel counts it. */
export const ACCOUNTING_CHAINS = { in: 'MONSAAS-ACCT-IN', out: 'MONSAAS-ACCT-OUT' } as const;

export interface AccountingRuleInput {
  /** The host's own AZ: traffic inside it is free, so it is not counted. */
  readonly az: string;
  /** Every AZ's subnet CIDRs (inter-AZ transfer is billed per GB, both directions). */
  readonly subnetsByAz: Readonly<Record<string, readonly string[]>>;
  /** Count Redis client traffic on this port (Redis nodes only). */
  readonly redisPort?: number;
}

function rule(chain: string, match: string, flow: string): string {
  return `-A ${chain} ${match} -m comment --comment ${flow}`;
}

/**
 * iptables-restore input (use --noflush: only these two chains are declared, so they are emptied and
 * refilled while every other rule on the host stays as it is).
 */
export function renderAccountingRules(input: AccountingRuleInput): string {
  const lines = ['*filter', `:${ACCOUNTING_CHAINS.in} - [0:0]`, `:${ACCOUNTING_CHAINS.out} - [0:0]`];
  if (input.redisPort !== undefined) {
    lines.push(rule(ACCOUNTING_CHAINS.in, `-p tcp --dport ${input.redisPort}`, AccountingFlow.redisIn));
    lines.push(rule(ACCOUNTING_CHAINS.out, `-p tcp --sport ${input.redisPort}`, AccountingFlow.redisOut));
  }
  for (const az of Object.keys(input.subnetsByAz).sort()) {
    if (az === input.az) continue;
    for (const cidr of input.subnetsByAz[az]!) {
      lines.push(rule(ACCOUNTING_CHAINS.in, `-s ${cidr}`, AccountingFlow.fromAz(az)));
      lines.push(rule(ACCOUNTING_CHAINS.out, `-d ${cidr}`, AccountingFlow.toAz(az)));
    }
  }
  lines.push('COMMIT');
  return `${lines.join('\n')}\n`;
}

/**
 * Loads the rules and hooks the chains first into INPUT/OUTPUT; safe to run again (boot, re-render):
 * the chains are refilled and a jump is only inserted when missing.
 */
export function renderAccountingLoader(rulesPath: string): string {
  return [
    '#!/bin/bash',
    '# Loads the traffic-accounting chains (counting only, no verdicts) and hooks them into INPUT/OUTPUT once.',
    'set -euo pipefail',
    `iptables-restore -w --noflush < ${rulesPath}`,
    `iptables -w -C INPUT -j ${ACCOUNTING_CHAINS.in} 2>/dev/null || iptables -w -I INPUT 1 -j ${ACCOUNTING_CHAINS.in}`,
    `iptables -w -C OUTPUT -j ${ACCOUNTING_CHAINS.out} 2>/dev/null || iptables -w -I OUTPUT 1 -j ${ACCOUNTING_CHAINS.out}`,
    '',
  ].join('\n');
}
