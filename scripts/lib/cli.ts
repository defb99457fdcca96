import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CliSpec<O extends Options> {
  /** The command as a user types it, e.g. "npm run render-hosts --". */
  readonly command: string;
  /** One line per option or usage form, printed under "usage:". */
  readonly usage: readonly string[];
  readonly options: O;
  /** Positional arguments allowed (default none). */
  readonly positionals?: { readonly min: number; readonly max: number; readonly name: string };
}

/**
 * Parses argv strictly for the project's scripts: `--help` prints the usage and exits 0; an unknown
 * option or a wrong number of arguments prints one line and exits 2 (never a stack trace).
 */
export function parseCli<O extends Options>(spec: CliSpec<O>, argv: string[] = process.argv.slice(2)) {
  const usage = () => `usage: ${spec.command} ${spec.usage[0] ?? ''}\n${spec.usage.slice(1).map((l) => `  ${l}`).join('\n')}`.trimEnd();
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage());
    process.exit(0);
  }
  const fail = (message: string): never => {
    console.error(`${spec.command}: ${message}; see --help`);
    process.exit(2);
  };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: spec.options, strict: true, allowPositionals: Boolean(spec.positionals) });
  } catch (error) {
    return fail((error as Error).message.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, ''));
  }
  const positionals = parsed.positionals;
  if (spec.positionals && (positionals.length < spec.positionals.min || positionals.length > spec.positionals.max)) {
    fail(`expected ${spec.positionals.name}`);
  }
  return parsed;
}
