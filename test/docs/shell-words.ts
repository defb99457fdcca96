/**
 * The commands a shell script runs, read the way bash reads command positions: the first word of each
 * simple command (after assignments and keywords), in pipelines, lists, `$( )` and backticks, also
 * inside double quotes. Quoted text is data; a command word holding `$` is dynamic and left out. Good
 * enough for runbook snippets (no case, no nested heredocs); the runbook test feeds it only those.
 */

const KEYWORDS_THEN_COMMAND = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time']);
const KEYWORDS_ENDING = new Set(['fi', 'done', 'esac', '}']);
/** Words that run the next word as a command (sudo is absent: everything runs as root through SSM). */
const PREFIX_COMMANDS = new Set(['exec', 'nohup', 'command', 'env']);
const OPERATORS = ['&&', '||', ';;', ';', '|', '&', '(', ')', '\n'];
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

type Token = { kind: 'word'; text: string } | { kind: 'op'; text: string } | { kind: 'redirect' };

/** Index just past the `)` closing a `$(` whose body starts at `start` (nesting and quotes respected). */
function closeParen(s: string, start: number): number {
  let depth = 1;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') { i++; continue; }
    if (c === "'") { i = s.indexOf("'", i + 1); if (i < 0) return s.length; continue; }
    if (c === '"') {
      for (i++; i < s.length && s[i] !== '"'; i++) if (s[i] === '\\') i++;
      continue;
    }
    if (c === '(') depth++;
    if (c === ')' && --depth === 0) return i + 1;
  }
  return s.length;
}

function tokenize(script: string, substitutions: string[]): Token[] {
  const tokens: Token[] = [];
  let word = '';
  let inWord = false;
  const flush = () => { if (inWord) tokens.push({ kind: 'word', text: word }); word = ''; inWord = false; };
  const s = script;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      if (s[i + 1] === '\n') { i++; flush(); continue; }
      word += s[i + 1] ?? ''; inWord = true; i++; continue;
    }
    if (c === '#' && !inWord) { while (i < s.length && s[i] !== '\n') i++; i--; continue; }
    if (c === "'") {
      const end = s.indexOf("'", i + 1);
      word += '·'; inWord = true; i = end < 0 ? s.length : end; continue;
    }
    if (c === '"') {
      for (i++; i < s.length && s[i] !== '"'; i++) {
        if (s[i] === '\\') { i++; continue; }
        if (s[i] === '$' && s[i + 1] === '(' && s[i + 2] !== '(') {
          const end = closeParen(s, i + 2);
          substitutions.push(s.slice(i + 2, end - 1));
          i = end - 1;
        } else if (s[i] === '`') {
          const end = s.indexOf('`', i + 1);
          substitutions.push(s.slice(i + 1, end));
          i = end;
        }
      }
      word += '$'; inWord = true; continue;
    }
    if (c === '$' && s[i + 1] === '(') {
      const arithmetic = s[i + 2] === '(';
      const end = closeParen(s, i + 2);
      if (!arithmetic) substitutions.push(s.slice(i + 2, end - 1));
      word += '$'; inWord = true; i = end - 1; continue;
    }
    if (c === '$' && s[i + 1] === '{') {
      let depth = 0;
      for (; i < s.length; i++) { if (s[i] === '{') depth++; if (s[i] === '}' && --depth === 0) break; }
      word += '$'; inWord = true; continue;
    }
    if (c === '`') {
      const end = s.indexOf('`', i + 1);
      substitutions.push(s.slice(i + 1, end));
      word += '$'; inWord = true; i = end; continue;
    }
    if (c === ' ' || c === '\t') { flush(); continue; }
    if (c === '>' || c === '<' || (c === '&' && s[i + 1] === '>')) {
      // A file descriptor number just before (`2>`) belongs to the operator, not to a word.
      if (inWord && /^\d+$/.test(word)) { word = ''; inWord = false; }
      flush();
      const redirect = /^(>&\d+-?|&>>?|>>?|<<<|<)/.exec(s.slice(i))![0];
      i += redirect.length - 1;
      // `>&2` names its target itself; the others take the next word as a file name.
      tokens.push(redirect.startsWith('>&') ? { kind: 'op', text: 'fd' } : { kind: 'redirect' });
      continue;
    }
    const op = OPERATORS.find((o) => s.startsWith(o, i));
    if (op) { flush(); tokens.push({ kind: 'op', text: op }); i += op.length - 1; continue; }
    word += c; inWord = true;
  }
  flush();
  return tokens;
}

/** The command words of `script` (and of every command substitution in it), in order, duplicates kept. */
export function commandWords(script: string): string[] {
  const found: string[] = [];
  const pending = [script];
  while (pending.length) {
    const substitutions: string[] = [];
    const tokens = tokenize(pending.shift()!, substitutions);
    let expect = true;
    let skipToSeparator = false;
    let skipNext = 0;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.kind === 'op') {
        if (t.text !== 'fd') { expect = true; skipToSeparator = false; }
        continue;
      }
      if (t.kind === 'redirect') { skipNext = 1; continue; }
      if (skipNext) { skipNext--; continue; }
      if (skipToSeparator || !expect) continue;
      const w = t.text;
      const next = tokens[i + 1];
      if (ASSIGNMENT.test(w)) continue;
      if (KEYWORDS_THEN_COMMAND.has(w)) continue;
      if (KEYWORDS_ENDING.has(w)) { expect = false; continue; }
      if (w === 'for' || w === 'case' || w === 'select') { skipToSeparator = true; continue; }
      const after = tokens[i + 2];
      if (next?.kind === 'op' && next.text === '(' && after?.kind === 'op' && after.text === ')') {
        i += 2; // a function definition: name ( ) { ... }
        continue;
      }
      if (!w.includes('$') && !w.includes('·')) found.push(w);
      if (PREFIX_COMMANDS.has(w)) continue;
      if (w === 'timeout') { skipNext = 1; continue; }
      expect = false;
    }
    pending.push(...substitutions);
  }
  return found;
}

/** Names of the functions a script defines (`name() {`), which later command words may call. */
export function definedFunctions(script: string): string[] {
  return [...script.matchAll(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(\)\s*\{/gm)].map((m) => m[1]!);
}
