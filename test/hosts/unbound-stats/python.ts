import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

let resolved: string | undefined;
/**
 * The interpreter the hosts run the publisher with (/usr/bin/python3), else python3 from PATH resolved
 * to its binary once (version-manager shims such as pyenv cost seconds per start).
 */
export function python3(): string {
  resolved ??= fs.existsSync('/usr/bin/python3')
    ? '/usr/bin/python3'
    : execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  return resolved;
}
