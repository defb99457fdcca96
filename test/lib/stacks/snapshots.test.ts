import { describe, expect, it } from 'vitest';
import type { PlatformEnvironment } from '../../../lib/platform/environment';
import { ENVIRONMENTS, template } from '../../support/platform';
import { normalizeTemplate } from '../../support/snapshot';

const PARTS = ['network', 'data', 'redis', 'dns', 'tsdb', 'services', 'edgeHealth', 'batch', 'monitoring', 'ci'] as const satisfies ReadonlyArray<keyof PlatformEnvironment>;

/** One snapshot per stack per environment: drift shows up as a readable template diff in review. */
describe.each(ENVIRONMENTS)('%s templates', (env) => {
  it.each(PARTS)('%s matches its snapshot', async (part) => {
    await expect(normalizeTemplate(template(env, part).toJSON())).toMatchFileSnapshot(`./__snapshots__/${env}/${part}.template.json`);
  });
});
