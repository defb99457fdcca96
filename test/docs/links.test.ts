import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMarkdown, ROOT, RUNBOOK_DIR } from './markdown';

const DOCS = [path.join(ROOT, 'docs', 'operations.md'), ...fs.readdirSync(RUNBOOK_DIR).filter((f) => f.endsWith('.md')).map((f) => path.join(RUNBOOK_DIR, f))];

describe('links between the on-call documents resolve', () => {
  it.each(DOCS.map((file) => [path.relative(ROOT, file), file]))('%s: every relative link names an existing file and heading', (_name, file) => {
    const doc = readMarkdown(file);
    const problems: string[] = [];
    for (const [, target] of doc.text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue;
      const [linked, anchor] = target!.split('#') as [string, string | undefined];
      const resolved = linked ? path.resolve(path.dirname(file), linked) : file;
      if (!fs.existsSync(resolved)) { problems.push(`${target}: no file ${path.relative(ROOT, resolved)}`); continue; }
      if (anchor && !readMarkdown(resolved).anchors.has(anchor)) problems.push(`${target}: no heading #${anchor}`);
    }
    expect(problems).toEqual([]);
  });
});
