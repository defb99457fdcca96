import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENTS, template } from '../../support/platform';

/**
 * A stateful resource whose logical ID changes is REPLACED by CloudFormation: a new empty stream,
 * table, bucket or database. These IDs are pinned in stateful-logical-ids.json. Adding a stateful
 * resource means adding its ID there; renaming or removing one must be a deliberate migration.
 */
const PINNED_FILE = path.join(__dirname, 'stateful-logical-ids.json');
const STATEFUL_TYPES = new Set([
  'AWS::Kinesis::Stream', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::S3::Bucket',
  'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::KMS::Key', 'AWS::ECR::Repository', 'AWS::SecretsManager::Secret',
]);
const PARTS = ['network', 'data', 'redis', 'dns', 'tsdb', 'services', 'edgeHealth', 'batch', 'monitoring', 'ci'] as const;

export function statefulLogicalIds(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const env of ENVIRONMENTS) {
    for (const part of PARTS) {
      const resources = template(env, part).toJSON().Resources as Record<string, { Type: string }>;
      const ids = Object.entries(resources)
        .filter(([, r]) => STATEFUL_TYPES.has(r.Type))
        .map(([id, r]) => `${id} (${r.Type})`)
        .sort();
      if (ids.length) out[`${env}/${part}`] = ids;
    }
  }
  return out;
}

describe('stateful logical IDs', () => {
  it('match the pinned list (a change would replace a stateful resource)', () => {
    if (process.env.PIN_STATEFUL_IDS === '1') fs.writeFileSync(PINNED_FILE, `${JSON.stringify(statefulLogicalIds(), null, 2)}\n`);
    const pinned = JSON.parse(fs.readFileSync(PINNED_FILE, 'utf8')) as Record<string, string[]>;
    expect(statefulLogicalIds(), 'stateful logical IDs changed: see the comment in logical-ids.test.ts').toEqual(pinned);
  });

  it('pins the core data stores of both environments', () => {
    const pinned = JSON.parse(fs.readFileSync(PINNED_FILE, 'utf8')) as Record<string, string[]>;
    for (const env of ENVIRONMENTS) {
      const data = pinned[`${env}/data`] ?? [];
      expect(data.some((id) => id.includes('AWS::Kinesis::Stream'))).toBe(true);
      expect(data.some((id) => id.includes('AWS::DynamoDB::GlobalTable') || id.includes('AWS::DynamoDB::Table'))).toBe(true);
      expect(data.some((id) => id.includes('AWS::RDS::DBInstance'))).toBe(true);
    }
  });
});
