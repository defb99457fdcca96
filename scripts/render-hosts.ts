/**
 * Writes every host's rendered configuration for inspection:
 *   npm run render-hosts -- --env staging --out .rendered/staging
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { environments } from '../config';
import { exitOnConfigError } from '../lib/config-schema/cli';
import { ConfigError, validateEnvConfig } from '../lib/config-schema/load';
import { renderAllHosts } from '../lib/host-config';
import { parseCli } from './lib/cli';

exitOnConfigError(() => {
  const { values } = parseCli({
    command: 'npm run render-hosts --',
    usage: [
      '--env NAME [--out DIR]',
      '--env NAME   environment to render (a file in config/)',
      '--out DIR    where to write (default .rendered/NAME): one folder per host, files at their host paths',
    ],
    options: { env: { type: 'string' }, out: { type: 'string' } },
  });
  const name = values.env;
  if (!name || !(name in environments)) {
    throw new ConfigError(`--env: name one environment (${Object.keys(environments).join(', ')})`);
  }
  const out = path.resolve(values.out ?? path.join('.rendered', name));
  const config = validateEnvConfig(`${name}.ts`, environments[name]);
  let count = 0;
  for (const host of renderAllHosts(config)) {
    for (const file of host.files) {
      const target = path.join(out, host.name, file.path);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, file.content, { mode: parseInt(file.permissions ?? '0644', 8) });
      count += 1;
    }
  }
  console.log(`wrote ${count} files for ${name} under ${out}`);
});
