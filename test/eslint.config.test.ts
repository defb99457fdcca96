import { ESLint } from 'eslint';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const eslint = new ESLint({ cwd: ROOT });

/** The import-layer messages ESLint reports for `code` as if it lived at `file`. */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import layers (eslint.config.mjs, docs/architecture.md)', () => {
  it.each([
    ['lambda/tsdb/x.ts', "import { SERVICE } from '../../lib/platform/service';\nexport const s = SERVICE;\n"],
    ['lambda/tsdb/x.ts', "import { agent } from '../../hosts/failover-agent/agent';\nexport const a = agent;\n"],
    ['lambda/batch/usage/x.ts', "import { environments } from '../../../config';\nexport const e = environments;\n"],
    ['hosts/failover-agent/x.ts', "import { writer } from '../../lambda/tsdb/writer';\nexport const w = writer;\n"],
    ['hosts/failover-agent/x.ts', "import { Stack } from 'aws-cdk-lib';\nexport const s = Stack;\n"],
    ['containers/billing/x.ts', "import { job } from '../../lambda/batch/usage/handler';\nexport const j = job;\n"],
    ['common/x.ts', "import { handler } from '../lambda/tsdb/writer';\nexport const h = handler;\n"],
    ['common/billing/x.ts', "import { SERVICE } from '../../lib/platform/service';\nexport const s = SERVICE;\n"],
    ['lib/constructs/x.ts', "import { handler } from '../../lambda/tsdb/writer';\nexport const h = handler;\n"],
    ['lib/stacks/x.ts', "import { startRedis } from '../../test/support/redis-server';\nexport const r = startRedis;\n"],
  ])('refuses %s importing across its layer', async (file, code) => {
    const errors = await layerErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/may import .*docs\/architecture\.md#import-layers/);
  });

  it.each([
    ['lambda/tsdb/x.ts', "import { durableShardWrite } from '../../common/durable-shard-write';\nimport { parseRecord } from './record';\nexport const d = [durableShardWrite, parseRecord];\n"],
    ['hosts/failover-agent/x.ts', "import { DURABILITY_KEYS } from '../../common/durable-shard-write';\nexport const k = DURABILITY_KEYS;\n"],
    ['lib/host-config/redis/x.ts', "import type { AgentConfig } from '../../../hosts/failover-agent/config';\nexport type A = AgentConfig;\n"],
    ['lib/constructs/x.ts', "import { DURABILITY_KEYS } from '../../common/durable-shard-write';\nexport const k = DURABILITY_KEYS;\n"],
    ['test/lib/x.test.ts', "import { handler } from '../../lambda/tsdb/writer';\nexport const h = handler;\n"],
  ])('allows %s importing within the rules', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
