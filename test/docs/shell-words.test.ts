import { expect, it } from 'vitest';
import { commandWords, definedFunctions } from './shell-words';

it('reads the command words of pipelines, lists, substitutions, conditions and prefixes, not quoted text or comments', () => {
  expect(commandWords(`X=1 aws s3 ls | grep -c x 2>/dev/null && echo "a | b $(date -u +%F)" >&2
for r in $(resolver_instances); do on_host "$r" <x; done
f() { local a; a=$(cat /etc/x); }
if ! pgrep -x keepalived >/dev/null; then systemctl start keepalived; fi
timeout 5 redis6-cli ping # comment: not a command
echo \`hostname\` 'jq |x'; export Y="$(jq -r .a f.json)"
`)).toEqual(['aws', 'grep', 'echo', 'on_host', 'local', 'pgrep', 'systemctl', 'timeout', 'redis6-cli', 'echo', 'export', 'date', 'resolver_instances', 'cat', 'hostname', 'jq']);
});

it('skips function definitions and for-lists, and follows timeout to its command', () => {
  expect(commandWords('on_host() { aws ssm send-command; }\nfor x in jq sed; do timeout 3 dig +short x; done')).toEqual(['aws', 'timeout', 'dig']);
  expect(definedFunctions('a() {\n  true\n}\nb () { :; }')).toEqual(['a', 'b']);
});
