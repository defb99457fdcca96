/**
 * `npm run map-stack -- <package dir> < stack.txt`: maps the frames of a stack trace logged by a
 * handler (minified bundle positions) to source file:line with the source maps shipped in the
 * deployment package. The functions run without --enable-source-maps (see platform-function.ts), so
 * this is how an operator reads a stack. The package dir is the function's unzipped deployment
 * package or the matching `cdk.out/asset.<hash>` of the same commit.
 */
import * as fs from 'node:fs';
import { SourceMap } from 'node:module';
import * as path from 'node:path';
import { parseCli } from './lib/cli';

/** A frame's location as Node prints it, e.g. file:///var/task/index.mjs:1:2345 or /var/task/chunks/x.mjs:1:2 */
const FRAME = /[^\s()]*?((?:chunks\/)?[\w.-]+\.mjs):(\d+):(\d+)/g;

/** Returns the text with every bundle position replaced by source file:line:column. */
export function mapStack(text: string, packageDir: string): string {
  const maps = new Map<string, SourceMap | undefined>();
  const mapFor = (file: string): SourceMap | undefined => {
    if (!maps.has(file)) {
      const mapFile = path.join(packageDir, `${file}.map`);
      maps.set(file, fs.existsSync(mapFile) ? new SourceMap(JSON.parse(fs.readFileSync(mapFile, 'utf8'))) : undefined);
    }
    return maps.get(file);
  };
  return text.replace(FRAME, (whole, file: string, line: string, column: string) => {
    const entry = mapFor(file)?.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry || !('originalSource' in entry)) return whole;
    const source = entry.originalSource.replace(/^(\.\.\/)+/, '');
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

if (require.main === module) {
  const { positionals: [dir] } = parseCli({
    command: 'npm run map-stack --',
    usage: ['PACKAGE_DIR < stack.txt', 'PACKAGE_DIR  the function\'s unzipped deployment package (or cdk.out/asset.<hash>) holding index.mjs and its .map files'],
    options: {},
    positionals: { min: 1, max: 1, name: 'one PACKAGE_DIR' },
  });
  if (!fs.existsSync(path.join(dir!, 'index.mjs'))) {
    console.error(`npm run map-stack --: ${dir} holds no index.mjs; pass a deployment package directory (see --help)`);
    process.exit(2);
  }
  process.stdout.write(mapStack(fs.readFileSync(0, 'utf8'), dir!));
}
