import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { environments } from '../../config';
import { renderAllHosts } from '../../lib/host-config';
import { NODE_PATHS } from '../../lib/host-config/redis/paths';
import { validateEnvConfig } from '../../lib/config-schema/load';
import { STACK_PARTS, stackNameOf, type StackPart } from '../../lib/platform/stack-parts';
import { ENVIRONMENTS, template } from '../support/platform';
import { AL2023_BASE_COMMANDS, hostImageCommands, SHELL_BUILTINS, WORKSTATION_COMMANDS, type HostImage } from './host-image';
import { ROOT, RUNBOOK_DIR, runbooks, type CodeBlock } from './markdown';
import { commandWords, definedFunctions } from './shell-words';

const HELPERS = path.join(RUNBOOK_DIR, 'helpers.sh');
const HOST_IMAGES: readonly HostImage[] = ['REDIS', 'RESOLVER'];
const docs = runbooks();
const PARTS = Object.keys(STACK_PARTS) as StackPart[];
const PART_BY_NAME = new Map(PARTS.map((p) => [STACK_PARTS[p] as string, p]));
type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;
const resourcesOf = (env: string, part: StackPart) => template(env, part).toJSON().Resources as Resources;

interface Script {
  readonly where: string;
  /** What runs there: for the workstation, without the heredoc bodies that run on a host. */
  readonly text: string;
  /** What shellcheck reads: for the workstation, the block as written (heredocs included). */
  readonly shellText: string;
  readonly image?: HostImage;
}

/**
 * The shell of a runbook: each ```sh block is run on the operator's machine; a heredoc in it named
 * REDIS or RESOLVER (`on_host "$id" <<'REDIS'`) is a script run on that host image.
 */
function scriptsOf(file: string, blocks: readonly CodeBlock[]): Script[] {
  const scripts: Script[] = [];
  for (const block of blocks.filter((b) => /^(sh|bash|shell)\b/.test(b.info))) {
    const where = `${file}:${block.line}`;
    const lines = block.body.split('\n');
    const workstation: string[] = [];
    const written: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      workstation.push(line);
      written.push(line);
      const heredoc = /<<-?\s*'?([A-Z_]+)'?/.exec(line);
      if (!heredoc) continue;
      const marker = heredoc[1]!;
      const end = lines.indexOf(marker, i + 1);
      if (end < 0) throw new Error(`${where}: heredoc ${marker} never closed`);
      const body = lines.slice(i + 1, end).join('\n');
      if (!HOST_IMAGES.includes(marker as HostImage)) throw new Error(`${where}: heredoc ${marker}: name it after the host image (${HOST_IMAGES.join(', ')})`);
      scripts.push({ where: `${where} (${marker} heredoc at line ${block.line + i + 1})`, text: body, shellText: body, image: marker as HostImage });
      written.push(...lines.slice(i + 1, end + 1));
      i = end;
    }
    scripts.push({ where, text: workstation.join('\n'), shellText: written.join('\n') });
  }
  return scripts;
}

const allScripts = [...docs].flatMap(([file, doc]) => scriptsOf(file, doc.codeBlocks));
const workstationText = (file: string) => scriptsOf(file, docs.get(file)!.codeBlocks).filter((s) => !s.image).map((s) => s.text).join('\n');
const everyCode = [...docs.values()].flatMap((d) => [...d.codeBlocks.map((b) => b.body), ...d.inlineCode]).join('\n');

function shellcheck(text: string): string {
  // -x with the repository as cwd: `source docs/runbooks/helpers.sh` is followed, so its functions are known.
  const result = spawnSync('shellcheck', ['--shell=bash', '--severity=style', '--format=gcc', '--external-sources', '-'], { input: text, encoding: 'utf8', cwd: ROOT });
  if (result.error) throw new Error(`shellcheck not runnable (bash scripts/ensure-host-tools.sh installs it): ${result.error.message}`);
  return result.stdout.trim();
}

describe('runbooks are executable: shell', () => {
  it('there are runbooks with shell in them, and host scripts for both host images', () => {
    expect(docs.size).toBeGreaterThanOrEqual(8);
    expect(allScripts.filter((s) => s.image === 'REDIS').length).toBeGreaterThan(0);
    expect(allScripts.filter((s) => s.image === 'RESOLVER').length).toBeGreaterThan(1);
  });

  it('docs/runbooks/helpers.sh passes shellcheck', () => {
    expect(shellcheck(fs.readFileSync(HELPERS, 'utf8'))).toBe('');
  });

  it.each(allScripts.map((s) => [s.where, s] as const))('%s passes shellcheck', (_where, script) => {
    expect(shellcheck(script.shellText)).toBe('');
  });
});

describe('runbooks are executable: every command exists where it runs', () => {
  const images = hostImageCommands();
  const helpers = definedFunctions(fs.readFileSync(HELPERS, 'utf8'));

  it('the helpers define what the runbooks call', () => {
    expect(helpers).toEqual(expect.arrayContaining(['resource', 'redis_shards', 'redis_node', 'resolver_instances', 'on_host']));
  });

  it.each(allScripts.map((s) => [s.where, s] as const))('%s', (_where, script) => {
    const own = definedFunctions(script.text);
    const available = new Set([
      ...SHELL_BUILTINS, ...own,
      ...(script.image ? images[script.image] : [...WORKSTATION_COMMANDS, ...helpers]),
    ]);
    const missing = commandWords(script.text).filter((c) => !available.has(c));
    const where = script.image ? `the ${script.image} host image (its packages: lib/host-config)` : 'the on-call workstation (docs/runbooks/README.md)';
    expect(missing, `not available on ${where}`).toEqual([]);
  });

  it('the Redis image has redis6-cli, not redis-cli, and no runbook uses the latter', () => {
    expect(images.REDIS.has('redis6-cli')).toBe(true);
    expect(images.REDIS.has('redis-cli')).toBe(false);
    expect(everyCode).not.toMatch(/(^|[^-\w])redis-cli\b/);
  });

  it('Redis commands on a node authenticate with the password the node wrote from the AUTH secret', () => {
    for (const script of allScripts.filter((s) => s.image === 'REDIS' && /redis6-cli/.test(s.text))) {
      expect(script.text, script.where).toContain(`REDISCLI_AUTH="$(cat ${NODE_PATHS.redisPasswordFile})"`);
    }
    expect(AL2023_BASE_COMMANDS).toContain('cat');
  });
});

describe('runbooks name only what the app has', () => {
  /** `resource PART PREFIX TYPE` (docs/runbooks/helpers.sh) finds one resource by logical id. */
  const resourceCalls = [...everyCode.matchAll(/\bresource\s+([a-z-]+)\s+([A-Za-z0-9]+)\s+(AWS::[A-Za-z0-9:]+)/g)].map((m) => ({ part: m[1]!, prefix: m[2]!, type: m[3]! }));

  it('look up resources through resource PART PREFIX TYPE', () => {
    expect(resourceCalls.length).toBeGreaterThan(5);
  });

  it.each(ENVIRONMENTS)('%s: every resource PART PREFIX TYPE matches exactly one resource of that stack', (env) => {
    const problems: string[] = [];
    for (const call of resourceCalls) {
      const part = PART_BY_NAME.get(call.part);
      if (!part) { problems.push(`resource ${call.part}: no stack part ${call.part} (${[...PART_BY_NAME.keys()].join(', ')})`); continue; }
      const matches = Object.entries(resourcesOf(env, part)).filter(([id, r]) => id.startsWith(call.prefix) && r.Type === call.type);
      if (matches.length !== 1) problems.push(`resource ${call.part} ${call.prefix} ${call.type}: ${matches.length} matches in ${stackNameOf(env, part)}`);
    }
    expect(problems).toEqual([]);
  });

  /** monsaas-<env>-... written with $ENV, ${ENV} or <env>. */
  const NAME = /monsaas-(?:\$ENV|\$\{ENV\}|<env>|staging|production)((?:-[A-Za-z0-9<>*]+)+)/g;
  const nameMentions = [...new Set([...everyCode.matchAll(NAME)].map((m) => m[1]!.slice(1)))];
  const toRegExp = (pattern: string) => new RegExp(`^${pattern.split(/(<[^>]+>|\*)/).map((piece) =>
    piece === '*' ? '.*' : piece.startsWith('<') ? '[^-]+' : piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('')}$`);

  it.each(ENVIRONMENTS)('%s: every stack and alarm name a runbook mentions exists', (env) => {
    expect(nameMentions.length).toBeGreaterThan(5);
    // An alarm without AlarmName is named by CloudFormation "<stack>-<logical id>-<random suffix>".
    const alarmNames = PARTS.flatMap((part) => Object.entries(resourcesOf(env, part))
      .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm' || r.Type === 'AWS::CloudWatch::CompositeAlarm')
      .map(([id, r]) => (typeof r.Properties?.AlarmName === 'string' ? r.Properties.AlarmName : `${stackNameOf(env, part)}-${id}-RANDOM`)));
    const problems = nameMentions.filter((mention) => {
      if (PART_BY_NAME.has(mention) || mention === '<part>') return false;
      const pattern = toRegExp(`monsaas-${env}-${mention}`);
      return !alarmNames.some((name) => pattern.test(name));
    });
    expect(problems, 'names that are neither a stack nor an alarm').toEqual([]);
  });

  /** "Namespace MetricName" of every metric an alarm or the dashboard reads. */
  const metricsIn = (env: string): Set<string> => {
    const names = new Set<string>();
    const visit = (value: unknown) => {
      if (Array.isArray(value)) {
        // Dashboard metric arrays: [namespace, name, dim, value, ...].
        if (typeof value[0] === 'string' && typeof value[1] === 'string' && /\//.test(value[0])) names.add(`${value[0]} ${value[1]}`);
        value.forEach(visit);
      } else if (value && typeof value === 'object') {
        const o = value as Record<string, unknown>;
        if (typeof o.MetricName === 'string' && typeof o.Namespace === 'string') names.add(`${o.Namespace} ${o.MetricName}`);
        Object.values(o).forEach(visit);
      }
    };
    for (const part of PARTS) {
      for (const r of Object.values(resourcesOf(env, part))) {
        visit(r.Properties);
        if (r.Type === 'AWS::CloudWatch::Dashboard') visit(JSON.parse(dashboardJson(r.Properties!.DashboardBody)));
      }
    }
    return names;
  };

  it.each(ENVIRONMENTS)('%s: every metric a runbook names is one the alarms or the dashboard read', (env) => {
    const known = metricsIn(env);
    const fromCli = [...everyCode.matchAll(/--namespace\s+(\S+)\s+--metric-name\s+([A-Za-z0-9.]+)/g)].map((m) => `${m[1]} ${m[2]}`);
    // Prose writes a metric with its namespace: `AWS/Lambda IteratorAge`, `MonSaaS/Hosts VipHeld`.
    const fromProse = [...docs.values()].flatMap((d) => d.inlineCode).filter((c) => /^[A-Za-z]+\/[A-Za-z0-9]+ [A-Za-z0-9.]+$/.test(c));
    const mentioned = [...new Set([...fromCli, ...fromProse])];
    expect(mentioned.length).toBeGreaterThan(5);
    expect(mentioned.filter((m) => !known.has(m))).toEqual([]);
  });

  it.each(ENVIRONMENTS)('%s: every dashboard widget a runbook points to ("dashboard <title>") exists', (env) => {
    const body = JSON.parse(dashboardJson(resourcesOf(env, 'monitoring')[Object.keys(resourcesOf(env, 'monitoring'))
      .find((id) => resourcesOf(env, 'monitoring')[id]!.Type === 'AWS::CloudWatch::Dashboard')!]!.Properties!.DashboardBody)) as { widgets: Array<{ properties: { title?: string; markdown?: string } }> };
    const titles = body.widgets.map((w) => w.properties.title ?? w.properties.markdown ?? '');
    const pointed = [...new Set([...[...docs.values()].map((d) => d.text).join('\n').matchAll(/dashboard (?:row |widget )?\*\*([^*]+)\*\*/gi)].map((m) => m[1]!))];
    expect(pointed.length).toBeGreaterThan(5);
    expect(pointed.filter((title) => !titles.some((t) => t.includes(title)))).toEqual([]);
  });

  it('every SSM parameter a runbook names is one the environments configure', () => {
    const configured = new Set(JSON.stringify(environments).match(/\/monsaas\/[A-Za-z0-9/_-]+/g) ?? []);
    // Not a path under /etc/monsaas or /run/monsaas: a parameter name starts the token.
    const mentioned = [...new Set(everyCode.match(/(?<![\w/.-])\/monsaas\/[A-Za-z0-9/_<>$-]+/g) ?? [])];
    const pattern = (m: string) => new RegExp(`^${m.replace(/<env>|\$ENV|\$\{ENV\}/g, '(staging|production)')}$`);
    expect(mentioned.filter((m) => ![...configured].some((c) => pattern(m).test(c)))).toEqual([]);
  });

  it('no runbook lists hosts by hand: loops go over what the deployed stacks hold', () => {
    const HOST = /\b(resolver-\d+|redis-shard-\d+-[ab])\b/g;
    for (const [file, doc] of docs) {
      for (const block of doc.codeBlocks) {
        for (const line of block.body.split('\n')) {
          expect(new Set(line.match(HOST) ?? []).size, `${file}:${block.line}: ${line}`).toBeLessThan(2);
        }
      }
    }
  });
});

describe('runbooks use the host image\'s paths', () => {
  /** Everything the hosts are given: rendered files (paths and contents) and the sources of the host code and renderers. */
  const hostKnowledge = (): string => {
    const rendered = Object.entries(environments).flatMap(([name, input]) => renderAllHosts(validateEnvConfig(`${name}.ts`, input)))
      .flatMap((host) => host.files.flatMap((f) => [f.path, f.content]));
    const sources = ['lib/host-config', 'hosts'].flatMap((dir) => fs.readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(ts|sh|py)$/.test(f)).map((f) => fs.readFileSync(path.join(ROOT, dir, f), 'utf8')));
    return [...rendered, ...sources].join('\n');
  };

  it('every host path a runbook names (/etc, /run, /var/lib, /usr/local) is one the hosts are rendered with or their code uses', () => {
    const known = hostKnowledge();
    const all = [...docs.values()].map((d) => d.text).join('\n');
    const mentioned = [...new Set(all.match(/(?<![\w.-])\/(?:etc|run|var\/lib|usr\/local)\/[A-Za-z0-9_./-]*[A-Za-z0-9_]/g) ?? [])];
    expect(mentioned.length).toBeGreaterThan(3);
    expect(mentioned.filter((p) => !known.includes(p))).toEqual([]);
    expect(mentioned).toContain(NODE_PATHS.redisPasswordFile);
  });
});

describe('the Kinesis replay keeps the live mapping\'s guarantees', () => {
  const replay = () => workstationText('kinesis-replay.md');

  it('creates its mapping with partial-batch responses, so records the writer reports failed are retried, not dropped', () => {
    expect(replay()).toMatch(/aws lambda create-event-source-mapping[^\n]*(\\\n[^\n]*)*--function-response-types ReportBatchItemFailures/);
  });

  it.each(ENVIRONMENTS)('%s: copies every setting the template gives the writer\'s live mapping', (env) => {
    const [, live] = Object.entries(resourcesOf(env, 'tsdb')).find(([id, r]) => r.Type === 'AWS::Lambda::EventSourceMapping' && id.startsWith('WriterHandlerFunctionKinesisEventSource'))!;
    const settings = Object.keys(live.Properties!).filter((k) => !['EventSourceArn', 'FunctionName', 'StartingPosition', 'Tags', 'FunctionResponseTypes'].includes(k));
    expect(settings).toEqual(expect.arrayContaining(['BatchSize', 'MaximumRetryAttempts', 'ParallelizationFactor', 'DestinationConfig']));
    const copied = /jq[^\n]*'\{([^']*)\}'/.exec(replay())?.[1] ?? '';
    expect(settings.filter((k) => !new RegExp(`\\b${k}\\b`).test(copied))).toEqual([]);
  });
});

/** A DashboardBody is a string or an Fn::Join of strings and tokens: join it with placeholders. */
function dashboardJson(body: unknown): string {
  if (typeof body === 'string') return body;
  const join = (body as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return join[1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(join[0]);
}
