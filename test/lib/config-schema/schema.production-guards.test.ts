import { describe, expect, it } from 'vitest';
import { configRejection } from '../../support/config-rejection';

/** Production may not turn off any of the protections that keep a mistaken deploy from destroying data. */
describe('production protections', () => {
  it.each(['retainData', 'terminationProtection', 'deletionProtection'] as const)('refuses %s: false', (key) => {
    const message = configRejection('production', (c) => { c[key] = false; });
    expect(message).toBe(`config/production.ts: ${key}: must be true in production so a mistaken deploy or delete cannot destroy data; set ${key}: true`);
  });
});
