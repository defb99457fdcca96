import GithubSlugger from 'github-slugger';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const RUNBOOK_DIR = path.join(ROOT, 'docs', 'runbooks');

export interface CodeBlock {
  /** The fence's info string, e.g. "sh". */
  readonly info: string;
  readonly body: string;
  /** 1-based line of the opening fence, for messages. */
  readonly line: number;
}

export interface Section {
  readonly anchor: string;
  /** The heading's text and everything up to the next heading of the same or a higher level. */
  readonly text: string;
}

export interface MarkdownDoc {
  readonly file: string;
  readonly text: string;
  /** Anchors of the headings, as GitHub makes them (github-slugger: lower case, punctuation dropped, duplicates -1, -2 ...). */
  readonly anchors: Set<string>;
  readonly codeBlocks: CodeBlock[];
  /** Inline `code` spans of the prose (outside fenced blocks). */
  readonly inlineCode: string[];
  readonly sections: Section[];
}

/**
 * A heading's text as GitHub renders it (what it slugs): code spans keep their content verbatim (underscores
 * included), emphasis markers and link targets outside them go.
 */
export function renderedText(markdown: string): string {
  return markdown.split(/(`[^`]*`)/).map((part) => (part.startsWith('`')
    ? part.slice(1, -1)
    : part.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/(\*\*|__|\*|_)(\S(?:.*?\S)?)\1/g, '$2'))).join('');
}

/** Splits a markdown file into headings (anchors), fenced code blocks and inline code spans. */
export function readMarkdown(file: string): MarkdownDoc {
  const text = fs.readFileSync(file, 'utf8');
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  const codeBlocks: CodeBlock[] = [];
  const inlineCode: string[] = [];
  const lines = text.split('\n');
  const openSections: Array<{ anchor: string; level: number; start: number }> = [];
  const sections: Section[] = [];
  const close = (level: number, end: number) => {
    while (openSections.length && openSections.at(-1)!.level >= level) {
      const s = openSections.pop()!;
      sections.push({ anchor: s.anchor, text: lines.slice(s.start, end).join('\n') });
    }
  };
  let fence: { marker: string; info: string; line: number; body: string[] } | undefined;
  lines.forEach((line, i) => {
    const trimmed = line.trimStart();
    if (fence) {
      if (trimmed.startsWith(fence.marker) && trimmed.slice(fence.marker.length).trim() === '') {
        codeBlocks.push({ info: fence.info, body: fence.body.join('\n'), line: fence.line });
        fence = undefined;
      } else {
        // Blocks may be indented under a list item: drop the fence's indentation.
        fence.body.push(line.replace(/^ {0,4}/, ''));
      }
      return;
    }
    const open = /^(`{3,}|~{3,})(.*)$/.exec(trimmed);
    if (open) {
      fence = { marker: open[1]!, info: open[2]!.trim(), line: i + 1, body: [] };
      return;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      // GitHub slugs the heading's rendered text: inline code keeps its text, markup characters go.
      const anchor = slugger.slug(renderedText(heading[2]!));
      anchors.add(anchor);
      close(heading[1]!.length, i);
      openSections.push({ anchor, level: heading[1]!.length, start: i });
    }
    for (const match of line.matchAll(/`([^`]+)`/g)) inlineCode.push(match[1]!);
  });
  if (fence) throw new Error(`${file}:${fence.line}: code block never closed`);
  close(1, lines.length);
  return { file, text, anchors, codeBlocks, inlineCode, sections };
}

/** Every runbook (docs/runbooks/*.md), by file name. */
export function runbooks(): Map<string, MarkdownDoc> {
  return new Map(fs.readdirSync(RUNBOOK_DIR).filter((f) => f.endsWith('.md')).sort()
    .map((f) => [f, readMarkdown(path.join(RUNBOOK_DIR, f))]));
}
