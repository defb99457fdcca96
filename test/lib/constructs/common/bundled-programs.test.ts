import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE_CACHE_ENV } from '../../../../lib/constructs/common/bundle-cache';
import { HOST_PROGRAMS, LAMBDA_HANDLER_ENTRIES } from '../../../../lib/constructs/common/bundled-programs';
import { FAILOVER_AGENT_ENTRY } from '../../../../lib/constructs/common/host-program-bundle';
import { PlatformFunction } from '../../../../lib/constructs/common/platform-function';
import { prebundleJobs } from '../../../../lib/constructs/common/plan-prebundles';
import { FailoverAgentBundle } from '../../../../lib/constructs/redis/failover-agent-bundle';
import { defaultPlatform } from '../../../support/platform';

describe('the programs synth bundles ahead', () => {
  it('are exactly the handlers and host programs the app bundles', () => {
    const constructs = defaultPlatform().app.node.findAll();
    const handlers = new Set(constructs.filter((c): c is PlatformFunction => c instanceof PlatformFunction).map((c) => c.entry));
    expect([...handlers].sort()).toEqual([...LAMBDA_HANDLER_ENTRIES].sort());
    expect(constructs.some((c) => c instanceof FailoverAgentBundle)).toBe(true);
    expect(HOST_PROGRAMS.map((p) => p.entry)).toEqual([FAILOVER_AGENT_ENTRY]);
  });

  it('are planned host programs first (the Redis stack is built early), each in its own directory beside CDK\'s', () => {
    const previous = process.env[BUNDLE_CACHE_ENV];
    process.env[BUNDLE_CACHE_ENV] = 'off';
    try {
      const jobs = prebundleJobs('/tmp/cdk.out');
      expect(jobs.length).toBe(LAMBDA_HANDLER_ENTRIES.length + HOST_PROGRAMS.length);
      expect(jobs[0]!.options.outfile).toMatch(/failover-agent\.js$/);
      expect(new Set(jobs.map((j) => j.dir)).size).toBe(jobs.length);
      for (const job of jobs) expect(path.dirname(job.dir)).toBe('/tmp/cdk.out');
    } finally {
      if (previous === undefined) delete process.env[BUNDLE_CACHE_ENV];
      else process.env[BUNDLE_CACHE_ENV] = previous;
    }
  });
});
