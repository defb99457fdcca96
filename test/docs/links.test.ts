import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMarkdown, ROOT, RUNBOOK_DIR } from './markdown';

const markdownIn = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.md')).map((f) => path.join(dir, f));
/** The README (one hop to every part) and every document under docs/. */
const DOCS = [path.join(ROOT, 'README.md'), ...markdownIn(path.join(ROOT, 'docs')), ...markdownIn(RUNBOOK_DIR)];

describe('links between the README and the documents resolve', () => {
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
