import { it } from 'vitest';
import { template } from '../../support/platform';
it('synths', () => {
  const t = template('staging', 'redis');
  console.log(JSON.stringify(t.toJSON(), null, 1).slice(0, 200000));
});
