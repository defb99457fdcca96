import { describe, expect, it } from 'vitest';
import { environments } from '../../../../config';
import { validateEnvConfig } from '../../../../lib/config-schema/load';
import type { EnvConfigInput } from '../../../../lib/config-schema/schema';
import { configRejection } from '../../../support/config-rejection';


describe('alarms config', () => {
  const cases: Array<[string, 'staging' | 'production', (c: EnvConfigInput) => void, RegExp]> = [
    ['a paging endpoint in a non-paging environment', 'staging', (c) => { c.alarms.httpsEndpoints = ['https://pager.example.com/hook']; },
      /^config\/staging\.ts: alarms\.httpsEndpoints: pages a human but paging is false; remove the endpoints .* or set paging: true$/],
    ['paging with nobody to page', 'production', (c) => { c.alarms.httpsEndpoints = []; },
      /^config\/production\.ts: alarms\.httpsEndpoints: is empty but paging is true; add the incident tool's https:\/\/ webhook/],
    ['no subscriber at all', 'staging', (c) => { c.alarms.emails = []; },
      /^config\/staging\.ts: alarms\.emails: is empty and so is httpsEndpoints: alarms would reach nobody; add at least one e-mail address$/],
    ['a plain-HTTP endpoint', 'production', (c) => { c.alarms.httpsEndpoints = ['http://pager.example.com/hook']; },
      /alarms\.httpsEndpoints\[0\]: must be an https:\/\/ URL/],
  ];

  it.each(cases)('rejects %s with one line naming the field and the fix', (_name, base, mutate, expected) => {
    const message = configRejection(base, mutate);
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(expected);
  });

  it('accepts staging notifying by e-mail only and production paging', () => {
    expect(validateEnvConfig('staging.ts', environments.staging).alarms).toMatchObject({ paging: false, httpsEndpoints: [] });
    expect(validateEnvConfig('production.ts', environments.production).alarms.httpsEndpoints.length).toBeGreaterThan(0);
  });
});
