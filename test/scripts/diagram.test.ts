import * as fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { environments } from '../../config';
import { validateEnvConfig } from '../../lib/config-schema/load';
import { resolverName } from '../../lib/host-config/unbound/metrics';
import { shardTopology } from '../../lib/model/redis-topology';
import type { PlatformEnvironment } from '../../lib/platform/environment';
import { architectureDot, architectureFacts, checkClaims, DIAGRAM_PATH, renderSvg, type ArchitectureFacts } from '../../scripts/diagram';
import { buildTestPlatform } from '../support/platform';

const production = validateEnvConfig('production.ts', environments.production);

/** The facts as config alone gives them: the test's own expectation of what the picture must show. */
function expectedFacts(): ArchitectureFacts {
  return {
    environment: 'production',
    availabilityZones: production.availabilityZones,
    shards: shardTopology(production),
    resolvers: production.resolvers.addresses.map((address, i) => ({ name: resolverName(i), az: production.availabilityZones[i % production.availabilityZones.length]!, address })),
    streamShards: production.tsdb.stream.mode === 'PROVISIONED' ? `${production.tsdb.stream.shardCount} shards` : 'on demand',
    retentionHours: production.tsdb.stream.retentionHours,
    domains: { api: `api.${production.edge.domainName}`, web: `app.${production.edge.domainName}` },
  };
}

/** Text boxes of an SVG Graphviz wrote, sized from the font size (Helvetica averages ~0.55 em a character). */
function textBoxes(svg: string) {
  return [...svg.matchAll(/<text [^>]*text-anchor="(\w+)" x="([-\d.]+)" y="([-\d.]+)"[^>]*font-size="([\d.]+)"[^>]*>([^<]*)<\/text>/g)].map((m) => {
    const [, anchor, x, y, size, text] = m as unknown as [string, string, string, string, string, string];
    const width = text.replace(/&#?\w+;/g, '_').length * Number(size) * 0.5;
    const left = anchor === 'middle' ? Number(x) - width / 2 : anchor === 'end' ? Number(x) - width : Number(x);
    // Ascent and descent of Helvetica: 0.72 and 0.21 em (a line box of 0.93 em; Graphviz spaces lines by 1 em and more).
    return { text, left, right: left + width, top: Number(y) - Number(size) * 0.72, bottom: Number(y) + Number(size) * 0.21 };
  });
}

describe('architecture diagram', () => {
  let env: PlatformEnvironment;
  let facts: ArchitectureFacts;
  let dot: string;
  let svg: string;
  beforeAll(async () => {
    // Built as scripts/diagram.ts builds it: cdk.json's context, bundling skipped, production only.
    env = buildTestPlatform({ env: 'production' }).env('production');
    facts = architectureFacts(env);
    dot = architectureDot(facts);
    svg = await renderSvg(dot);
  });

  it('draws only arrows the app has: every data-flow claim holds against the synthesized templates', () => {
    const claims = checkClaims(env);
    expect(claims.length).toBeGreaterThanOrEqual(12);
    expect(claims.filter((c) => !c.holds).map((c) => c.what)).toEqual([]);
  });

  it('takes its parts from the app: AZs, every shard pair and its VIP, every resolver, the stream', () => {
    expect(facts).toEqual(expectedFacts());
  });

  it('puts every Redis node and resolver inside the cluster of its own AZ', () => {
    const clusters = [...dot.matchAll(/subgraph "cluster_az\d+" \{\n\s+label="AZ ([^"]+)"[^\n]*\n([\s\S]*?)\n {2}\}/g)].map((m) => [m[1]!, m[2]!] as const);
    expect(clusters.map(([az]) => az)).toEqual(production.availabilityZones);
    for (const shard of facts.shards) {
      for (const node of shard.nodes) {
        const [, body] = clusters.find(([az]) => az === node.availabilityZone)!;
        expect(body, node.name).toContain(`"${node.name}" [label=`);
      }
    }
    for (const resolver of facts.resolvers) expect(clusters.find(([az]) => az === resolver.az)![1]).toContain(`"${resolver.name}" [label=`);
  });

  it('draws the write path in order, the failover routes and the read path', () => {
    const edges = [...dot.matchAll(/^ {2}"([^"]+)" -> "([^"]+)" \[label="([^"]*)"([^\]]*)\]/gm)]
      .filter((m) => !m[4]!.includes('invis')).map((m) => `${m[1]} -> ${m[2]}${m[3] ? `: ${m[3]}` : ''}`);
    expect(edges).toEqual(expect.arrayContaining([
      'nlb -> api: TCP 443', 'api -> stream: 1. PutRecords', 'stream -> writer: 2. batches', 'writer -> vip0: 3. points',
      'writer -> table: 4. full windows', 'flusher -> table: 4. idle series', 'table -> exporter: 5. TTL expiry', 'exporter -> archive: 6. put',
      'api -> reader: queries', 'routes -> vip0: steers', 'dhcp -> resolver-1: DNS',
    ]));
    for (const shard of facts.shards) {
      expect(edges).toContain(`writer -> vip${shard.index}${shard.index === 0 ? ': 3. points' : ''}`);
      expect(edges.filter((e) => e.startsWith(`vip${shard.index} -> `)).map((e) => e.split(': ')[0]))
        .toEqual([`vip${shard.index} -> ${shard.nodes[0].name}`, `vip${shard.index} -> ${shard.nodes[1].name}`]);
    }
  });

  it('lays out with no two labels overlapping, readable at README width (~900 px)', () => {
    const [, width] = /<svg width="(\d+)pt"/.exec(svg)!;
    // At 900 px the smallest (9 pt) labels stay >= 8 px.
    expect(Number(width)).toBeLessThanOrEqual(1000);
    const boxes = textBoxes(svg);
    expect(boxes.length).toBeGreaterThan(60);
    const overlaps: string[] = [];
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => {
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps.push(`"${a.text}" / "${b.text}"`);
    }));
    expect(overlaps).toEqual([]);
  });

  it('docs/architecture.svg is the picture of the current app (run `npm run diagram` when this fails)', async () => {
    const committed = fs.existsSync(DIAGRAM_PATH) ? fs.readFileSync(DIAGRAM_PATH, 'utf8') : '(missing)';
    expect(svg).toBe(await renderSvg(dot)); // the layout is deterministic
    expect(svg === committed, 'docs/architecture.svg is out of date: run npm run diagram and commit it').toBe(true);
  });
});
